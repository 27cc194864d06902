// `npm run seed`: fills a running stack with realistic demo data through the public
// GraphQL API, as a frontend would. Safe to run again: existing accounts are signed into,
// finished steps are skipped.
// Env: GATEWAY_URL (default http://localhost:4000/graphql), ADMIN_EMAIL / ADMIN_PASSWORD (the bootstrap admin).

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const ADMIN_EMAIL = process.env.ADMIN_EMAIL || 'admin@talent.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD || 'admin-password-dev';
export const DEMO_PASSWORD = 'demo-password-123';

/** The demo cast. `kyc`: what happens to their KYC; `screening`: the inspector's decision for talent. */
export const DEMO_USERS = [
  { key: 'inspector', displayName: 'Iris Okafor', roles: ['TALENT'], grant: 'INSPECTOR', kyc: 'APPROVE', country: 'NG' },
  { key: 'ada', displayName: 'Ada Nakamura', roles: ['TALENT'], kyc: 'APPROVE', screening: 'APPROVE', country: 'JP' },
  { key: 'bruno', displayName: 'Bruno Silva', roles: ['TALENT', 'CONNECTOR'], kyc: 'APPROVE', screening: 'APPROVE', country: 'BR' },
  { key: 'chen', displayName: 'Chen Wei', roles: ['TALENT'], kyc: 'APPROVE', screening: 'APPROVE', country: 'SG' },
  { key: 'dara', displayName: 'Dara Murphy', roles: ['TALENT'], kyc: 'APPROVE', screening: 'REJECT', country: 'IE' },
  { key: 'emeka', displayName: 'Emeka Eze', roles: ['TALENT'], kyc: 'PENDING', country: 'NG' },
  { key: 'farah', displayName: 'Farah Haddad', roles: ['TALENT'], kyc: 'REJECT', country: 'JO' },
  { key: 'globex', displayName: 'Greta Lindqvist', roles: ['CLIENT'], kyc: 'APPROVE', country: 'SE', organization: 'Globex Robotics' },
  { key: 'initech', displayName: 'Ivan Petrov', roles: ['CLIENT'], kyc: 'APPROVE', country: 'DE', organization: 'Initech Payments' },
  { key: 'hana', displayName: 'Hana Kowalski', roles: ['CONNECTOR'], kyc: 'APPROVE', country: 'PL' },
];

const emailOf = (key) => `${key}@demo.talent.local`;

async function gql(query, variables, token) {
  const res = await fetch(GATEWAY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  return body;
}

async function must(query, variables, token) {
  const body = await gql(query, variables, token);
  if (body.errors?.length) throw new Error(`${body.errors[0].extensions?.code ?? ''} ${body.errors[0].message}`);
  return body.data;
}

const USER_FIELDS = 'id displayName roles kycStatus isMember screeningStatus';

async function signIn(email, password) {
  const data = await must(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { ${USER_FIELDS} } } }`, {
    e: email,
    p: password,
  });
  return { token: data.login.accessToken, user: data.login.user };
}

async function registerOrSignIn(person) {
  const res = await gql(
    `mutation($input: RegisterInput!) { register(input: $input) { accessToken user { ${USER_FIELDS} } } }`,
    { input: { email: emailOf(person.key), password: DEMO_PASSWORD, displayName: person.displayName, roles: person.roles } },
  );
  if (!res.errors) return { token: res.data.register.accessToken, user: res.data.register.user, created: true };
  if (res.errors[0].extensions?.code !== 'CONFLICT') throw new Error(res.errors[0].message);
  return { ...(await signIn(emailOf(person.key), DEMO_PASSWORD)), created: false };
}

const birthDate = (i) => `${1980 + (i % 15)}-0${1 + (i % 9)}-1${i % 9}`;

async function main() {
  const admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD).catch((error) => {
    throw new Error(`cannot sign in as the bootstrap admin ${ADMIN_EMAIL} (${error.message}); set ADMIN_EMAIL/ADMIN_PASSWORD as the identity service has them`);
  });
  const people = {};
  let created = 0;
  for (const person of DEMO_USERS) {
    const session = await registerOrSignIn(person);
    people[person.key] = { ...person, ...session };
    if (session.created) created++;
  }

  // The inspector role is granted, never chosen; a fresh token carries it.
  const inspector = people.inspector;
  if (!inspector.user.roles.includes('INSPECTOR')) {
    await must(`mutation($id: ID!) { grantRole(userId: $id, role: INSPECTOR) { id } }`, { id: inspector.user.id }, admin.token);
  }
  Object.assign(inspector, await signIn(emailOf('inspector'), DEMO_PASSWORD));

  // KYC: everyone submits; the admin reviews the inspector, the inspector reviews the rest.
  let i = 0;
  for (const person of Object.values(people)) {
    i++;
    if (!['NOT_STARTED', 'REJECTED'].includes(person.user.kycStatus) || (person.kyc === 'REJECT' && person.user.kycStatus === 'REJECTED')) continue;
    const kycCase = await must(
      `mutation($input: SubmitKycInput!) { submitKyc(input: $input) { id } }`,
      {
        input: {
          legalName: person.displayName,
          country: person.country,
          dateOfBirth: birthDate(i),
          documentType: i % 2 ? 'PASSPORT' : 'ID_CARD',
          documentNumber: `P${String(48151623 + i * 4217)}`,
        },
      },
      person.token,
    );
    if (person.kyc === 'PENDING') continue;
    const reviewer = person.key === 'inspector' ? admin : inspector;
    await must(
      `mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewKyc(caseId: $id, decision: $d, reason: $r) { id } }`,
      { id: kycCase.submitKyc.id, d: person.kyc, r: person.kyc === 'REJECT' ? 'Document photo unreadable' : null },
      reviewer.token,
    );
  }

  // Peer screening of talent.
  for (const person of Object.values(people)) {
    if (!person.screening) continue;
    const current = await must(`query($id: ID!) { user(id: $id) { screeningStatus } }`, { id: person.user.id });
    if (current.user.screeningStatus !== 'NOT_SCREENED') continue;
    await must(
      `mutation($id: ID!, $d: ReviewDecision!, $n: String) { screenTalent(userId: $id, decision: $d, notes: $n) { id } }`,
      { id: person.user.id, d: person.screening, n: person.screening === 'APPROVE' ? 'Strong portfolio, clear communication' : 'Needs more verifiable work' },
      inspector.token,
    );
  }

  // Clients' organizations.
  for (const person of Object.values(people)) {
    if (!person.organization) continue;
    const me = await must(`{ me { organizations { name } } }`, {}, person.token);
    if (me.me.organizations.some((o) => o.name === person.organization)) continue;
    await must(`mutation($n: String!) { createOrganization(name: $n) { id } }`, { n: person.organization }, person.token);
  }

  console.log(
    `seeded ${DEMO_USERS.length} demo users (${created} new), password "${DEMO_PASSWORD}", emails <key>@demo.talent.local: ${DEMO_USERS.map((u) => u.key).join(', ')}`,
  );
}

main().catch((error) => {
  console.error(`seed failed: ${error.message}`);
  process.exit(1);
});
