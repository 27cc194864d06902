import { randomBytes } from 'node:crypto';
import type { GraphQLClient } from './graphql-client';
import type { Stack } from './stack';

/** A password that passes the registration rules. */
export const TEST_PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (label = 'user'): string => `${label}-${randomBytes(5).toString('hex')}@example.test`;

export interface Persona {
  id: string;
  email: string;
  accessToken: string;
  /** A gateway client carrying this user's access token. */
  api: GraphQLClient;
}

async function signIn(stack: Stack, email: string, password: string): Promise<Persona> {
  const { login } = await stack.api.data<{ login: { accessToken: string; user: { id: string } } }>(
    `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { id } } }`,
    { e: email, p: password },
  );
  return { id: login.user.id, email, accessToken: login.accessToken, api: stack.api.withToken(login.accessToken) };
}

/** Registers a user through the gateway. */
export async function registerPersona(stack: Stack, roles: string[], displayName = 'Test User', referralCode?: string): Promise<Persona> {
  const email = uniqueEmail(roles[0]?.toLowerCase());
  const { register } = await stack.api.data<{ register: { accessToken: string; user: { id: string } } }>(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`,
    { input: { email, password: TEST_PASSWORD, displayName, roles, ...(referralCode ? { referralCode } : {}) } },
  );
  return { id: register.user.id, email, accessToken: register.accessToken, api: stack.api.withToken(register.accessToken) };
}

export const signInAdmin = (stack: Stack): Promise<Persona> => signIn(stack, stack.admin.email, stack.admin.password);

/** A bootstrap-admin-granted inspector, signed in again so the token carries INSPECTOR. */
export async function createInspector(stack: Stack, admin?: Persona): Promise<Persona> {
  const a = admin ?? (await signInAdmin(stack));
  const person = await registerPersona(stack, ['TALENT'], 'Inspector');
  await a.api.data(`mutation ($id: ID!) { grantRole(userId: $id, role: INSPECTOR) { id } }`, { id: person.id });
  return signIn(stack, person.email, TEST_PASSWORD);
}

/** Submits KYC for the persona and has the reviewer approve it: the persona becomes a member. */
export async function makeMember(stack: Stack, person: Persona, reviewer: Persona, country = 'US'): Promise<void> {
  const { submitKyc } = await person.api.data<{ submitKyc: { id: string } }>(`mutation ($input: SubmitKycInput!) { submitKyc(input: $input) { id } }`, {
    input: { legalName: 'Test Person', country, dateOfBirth: '1990-05-17', documentType: 'PASSPORT', documentNumber: `P${randomBytes(4).toString('hex')}` },
  });
  await reviewer.api.data(`mutation ($id: ID!) { reviewKyc(caseId: $id, decision: APPROVE) { id } }`, { id: submitKyc.id });
}

/** Screens a member talent as approved. */
export async function screenApproved(reviewer: Persona, talent: Persona): Promise<void> {
  await reviewer.api.data(`mutation ($id: ID!) { screenTalent(userId: $id, decision: APPROVE) { id } }`, { id: talent.id });
}
