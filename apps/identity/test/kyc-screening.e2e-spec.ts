/**
 * KYC, peer screening, PII at rest and the events identity publishes, driven through the
 * gateway on the real stack. The database and the broker are read directly only for what
 * a user cannot see: encrypted columns, the outbox and the `identity.events.v1` topic.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { errorCode, waitFor } from '@talent/testing';
import { FieldCipher } from '@talent/platform';
import {
  grantRole,
  PASSWORD,
  KYC_MUTATION,
  kycInput,
  loginAdmin,
  member,
  register,
  reviewKyc,
  startIdentityStack,
  submitKyc,
  type IdentityStack,
  type Session,
} from './stack';

const TOPIC_NAME = 'identity.events.v1';
const ME = `{ me { id kycStatus isMember screeningStatus roles } }`;
const USER = `query ($id: ID!) { user(id: $id) { id kycStatus isMember screeningStatus } }`;
const QUEUE = `query ($first: Int, $after: String) {
  kycQueue(first: $first, after: $after) {
    edges { cursor node { id status country documentType documentNumberLast4 submittedAt user { id email } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const REVIEW = `mutation ($c: ID!, $d: ReviewDecision!, $r: String) {
  reviewKyc(caseId: $c, decision: $d, reason: $r) { id status reason reviewedAt reviewedBy { id } user { id kycStatus isMember } }
}`;
const SCREEN = `mutation ($u: ID!, $d: ReviewDecision!, $n: String) {
  screenTalent(userId: $u, decision: $d, notes: $n) { id screeningStatus }
}`;

interface Received {
  key: string;
  headers: Record<string, string>;
  envelope: { id: string; type: string; aggregateId: string; payload: Record<string, any> };
}

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

let stack: IdentityStack;
let admin: Session;
let consumer: Consumer;
const received: Received[] = [];

/** Every plaintext PII value this file sends, to prove none of it leaks into events. */
const pii = { emails: new Set<string>(), kyc: new Set<string>() };
const track = (s: Session) => (pii.emails.add(s.email), s);
const newUser = async (roles: string[] = ['TALENT']) => track(await register(stack, { roles }));
const newMember = async (roles: string[] = ['TALENT']) => track(await member(stack, admin, roles));
const newInspector = async () => grantRole(stack, admin, await newUser(['TALENT']), 'INSPECTOR');
const kyc = (overrides: Record<string, unknown> = {}) => {
  const input = kycInput({ documentNumber: `P${randomBytes(5).toString('hex').toUpperCase()}`, ...overrides });
  // Values too short to be identifying (e.g. a deliberately malformed '12') would match by chance.
  for (const value of [String(input.documentNumber).replace(/[\s-]/g, '').toUpperCase(), String(input.legalName), String(input.dateOfBirth)]) {
    if (value.length >= 6) pii.kyc.add(value);
  }
  return input;
};
const submit = (user: Session, overrides: Record<string, unknown> = {}) => submitKyc(user, kyc(overrides));
const queueIds = async (reviewer: Session): Promise<string[]> =>
  (await reviewer.api.data(QUEUE, { first: 100 })).kycQueue.edges.map((e: { node: { id: string } }) => e.node.id);
/** The PII values found in `text` (an empty list is what the tests expect). */
const leaked = (text: string, values: Iterable<string>) => [...values].filter((v) => text.toLowerCase().includes(v.toLowerCase()));
const caseRow = async (id: string) => (await stack.sql('SELECT * FROM kyc_cases WHERE id = $1', [id]))[0];

beforeAll(async () => {
  // Production's log level, so the request and event logs are there to be checked for PII.
  stack = await startIdentityStack({ identityEnv: { LOG_LEVEL: 'info' }, gatewayEnv: { LOG_LEVEL: 'info' } });
  admin = await loginAdmin(stack);
  pii.emails.add(stack.admin.email);
  // The bootstrap admin's events make sure the topic exists before a consumer subscribes.
  await waitFor(async () => (await stack.sql(`SELECT 1 FROM outbox WHERE published_at IS NOT NULL`)).length > 0, 15_000, {
    message: 'bootstrap events published',
  });
  const kafka = new Kafka({ clientId: 'identity-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  consumer = kafka.consumer({ groupId: `identity-e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: stack.topic(TOPIC_NAME), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      received.push({ key: String(message.key), headers, envelope: JSON.parse(String(message.value)) });
    },
  });
});

afterAll(async () => {
  await consumer?.disconnect().catch(() => undefined);
  await stack?.stop();
});

describe('submitKyc', () => {
  it('opens a PENDING case that shows only the last 4 characters of the document number', async () => {
    const user = await newUser();
    const input = kyc({ documentNumber: 'ab-123 456-7890', documentType: 'ID_CARD', country: 'de' });
    const res = await user.api.request(KYC_MUTATION, { input });
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitKyc).toMatchObject({
      status: 'PENDING',
      country: 'DE',
      documentType: 'ID_CARD',
      documentNumberLast4: '7890',
      reviewedAt: null,
      reason: null,
      user: { id: user.id, kycStatus: 'PENDING' },
    });
    const json = JSON.stringify(res);
    for (const secret of ['AB1234567890', 'ab-123 456-7890', '1234567890', input.legalName, input.dateOfBirth]) {
      expect(json).not.toContain(secret);
    }
    expect((await user.api.data(ME)).me).toMatchObject({ kycStatus: 'PENDING', isMember: false });
  });

  it('refuses a second submission while a case is pending (CONFLICT); still one case', async () => {
    const user = await newUser();
    const first = await submit(user);
    const again = await user.api.request(KYC_MUTATION, { input: kyc() });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.data ?? null).toBeNull();
    const rows = await stack.sql('SELECT id, status FROM kyc_cases WHERE user_id = $1', [user.id]);
    expect(rows).toEqual([{ id: first, status: 'PENDING' }]);
  });

  it.each([
    ['an unknown country', { country: 'ZZ' }],
    ['a malformed country', { country: 'GBR' }],
    ['an under-18 date of birth', { dateOfBirth: new Date(Date.now() - 17 * 365.25 * 86_400_000).toISOString().slice(0, 10) }],
    ['a date of birth that does not exist', { dateOfBirth: '1990-02-30' }],
    ['a malformed document number', { documentNumber: '12' }],
  ])('refuses %s with BAD_USER_INPUT and opens nothing', async (_, override) => {
    const user = await newUser();
    const res = await user.api.request(KYC_MUTATION, { input: kyc(override) });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.data ?? null).toBeNull();
    expect((await user.api.data(ME)).me.kycStatus).toBe('NOT_STARTED');
    expect(await stack.sql('SELECT 1 FROM kyc_cases WHERE user_id = $1', [user.id])).toHaveLength(0);
    // The user can still submit valid data afterwards.
    expect(await submit(user)).toEqual(expect.any(String));
  });

  it('requires a signed-in user', async () => {
    expect(errorCode(await stack.api.request(KYC_MUTATION, { input: kyc() }))).toBe('UNAUTHENTICATED');
  });
});

describe('kycQueue and reviewKyc', () => {
  let inspector: Session;
  let inspectorCase: string;
  beforeAll(async () => {
    // An inspector who is also a talent with a case of their own.
    const user = await newUser();
    inspectorCase = await submit(user);
    inspector = await grantRole(stack, admin, user, 'INSPECTOR');
  });

  it('is for inspectors and admins: FORBIDDEN for a talent, UNAUTHENTICATED anonymously', async () => {
    const talent = await newUser(['TALENT', 'CLIENT', 'CONNECTOR']);
    const res = await talent.api.request(QUEUE, { first: 5 });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();
    expect(errorCode(await stack.api.request(QUEUE, { first: 5 }))).toBe('UNAUTHENTICATED');
  });

  it("lists other users' open cases but never the inspector's own", async () => {
    const talent = await newUser();
    const caseId = await submit(talent, { documentNumber: 'QUEUE-4321' });
    const res = await inspector.api.data(QUEUE, { first: 100 });
    const edge = res.kycQueue.edges.find((e: { node: { id: string } }) => e.node.id === caseId);
    expect(edge.node).toMatchObject({ status: 'PENDING', documentNumberLast4: '4321', user: { id: talent.id, email: null } });
    expect(res.kycQueue.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(inspectorCase);
    // An admin sees both, and sees the applicant's email.
    const adminView = await admin.api.data(QUEUE, { first: 100 });
    const ids = adminView.kycQueue.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([caseId, inspectorCase]));
    expect(adminView.kycQueue.edges.find((e: { node: { id: string } }) => e.node.id === caseId).node.user.email).toBe(talent.email);
  });

  it('an inspector reviewing their own case is FORBIDDEN, and the case stays PENDING', async () => {
    const res = await inspector.api.request(REVIEW, { c: inspectorCase, d: 'APPROVE' });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();
    expect((await inspector.api.data(ME)).me).toMatchObject({ kycStatus: 'PENDING', isMember: false });
    expect(await queueIds(admin)).toContain(inspectorCase);
    expect((await caseRow(inspectorCase)).status).toBe('PENDING');
  });

  it('a talent cannot review (FORBIDDEN) and an anonymous caller neither (UNAUTHENTICATED); nothing changes', async () => {
    const applicant = await newUser();
    const caseId = await submit(applicant);
    const talent = await newUser();
    expect(errorCode(await talent.api.request(REVIEW, { c: caseId, d: 'APPROVE' }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(REVIEW, { c: caseId, d: 'APPROVE' }))).toBe('UNAUTHENTICATED');
    expect((await applicant.api.data(ME)).me.kycStatus).toBe('PENDING');
    expect((await caseRow(caseId)).status).toBe('PENDING');
  });

  it('approval makes the user a member; deciding again is a CONFLICT', async () => {
    const applicant = await newUser();
    const caseId = await submit(applicant);
    const res = await inspector.api.request(REVIEW, { c: caseId, d: 'APPROVE', r: '  documents match ' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.reviewKyc).toMatchObject({
      id: caseId,
      status: 'APPROVED',
      reason: 'documents match',
      reviewedBy: { id: inspector.id },
      user: { id: applicant.id, kycStatus: 'APPROVED', isMember: true },
    });
    expect(Date.parse(res.data!.reviewKyc.reviewedAt)).not.toBeNaN();
    expect((await applicant.api.data(ME)).me).toMatchObject({ kycStatus: 'APPROVED', isMember: true });
    expect((await stack.api.data(USER, { id: applicant.id })).user).toMatchObject({ kycStatus: 'APPROVED', isMember: true });
    expect(await queueIds(admin)).not.toContain(caseId);

    for (const d of ['APPROVE', 'REJECT']) {
      const again = await admin.api.request(REVIEW, { c: caseId, d });
      expect(errorCode(again)).toBe('CONFLICT');
    }
    expect((await caseRow(caseId)).status).toBe('APPROVED');
    // An approved member has nothing more to submit.
    expect(errorCode(await applicant.api.request(KYC_MUTATION, { input: kyc() }))).toBe('CONFLICT');
  });

  it('after a rejection the user may resubmit, which opens a new case', async () => {
    const applicant = await newUser();
    const firstCase = await submit(applicant);
    const rejected = await admin.api.data(REVIEW, { c: firstCase, d: 'REJECT', r: 'document is blurry' });
    expect(rejected.reviewKyc).toMatchObject({ status: 'REJECTED', reason: 'document is blurry', user: { kycStatus: 'REJECTED', isMember: false } });
    expect((await applicant.api.data(ME)).me).toMatchObject({ kycStatus: 'REJECTED', isMember: false });

    const secondCase = await submit(applicant);
    expect(secondCase).not.toBe(firstCase);
    expect((await applicant.api.data(ME)).me.kycStatus).toBe('PENDING');
    const ids = await queueIds(inspector);
    expect(ids).toContain(secondCase);
    expect(ids).not.toContain(firstCase);
    expect((await caseRow(firstCase)).status).toBe('REJECTED');
  });

  it('an unknown case is NOT_FOUND', async () => {
    for (const c of [randomUUID(), 'not-a-uuid']) {
      expect(errorCode(await inspector.api.request(REVIEW, { c, d: 'APPROVE' }))).toBe('NOT_FOUND');
    }
  });

  it('paginates with first/after, oldest first, without gaps or repeats', async () => {
    for (let i = 0; i < 3; i++) await submit(await newUser());
    const all = await queueIds(admin);
    expect(all.length).toBeGreaterThanOrEqual(4);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: any = (await admin.api.data(QUEUE, { first: 2, after })).kycQueue;
      pages++;
      expect(page.edges.length).toBeLessThanOrEqual(2);
      seen.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
      if (page.edges.length) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(2);
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(50);
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));

    const submitted = (await admin.api.data(QUEUE, { first: 100 })).kycQueue.edges.map((e: any) => Date.parse(e.node.submittedAt));
    expect([...submitted].sort((a, b) => a - b)).toEqual(submitted);
  });

  it('refuses a malformed cursor or page size with BAD_USER_INPUT', async () => {
    expect(errorCode(await admin.api.request(QUEUE, { first: 2, after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin.api.request(QUEUE, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await admin.api.request(QUEUE, { first: 1000 }))).toBe('BAD_USER_INPUT');
  });
});

describe('screenTalent', () => {
  let inspector: Session;
  beforeAll(async () => {
    inspector = await newInspector();
  });

  it('approves a member talent; screening them again is a CONFLICT', async () => {
    const talent = await newMember(['TALENT']);
    const res = await inspector.api.request(SCREEN, { u: talent.id, d: 'APPROVE', n: 'strong portfolio' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.screenTalent).toEqual({ id: talent.id, screeningStatus: 'APPROVED' });
    expect((await talent.api.data(ME)).me.screeningStatus).toBe('APPROVED');

    const other = await newInspector();
    for (const d of ['APPROVE', 'REJECT']) {
      expect(errorCode(await other.api.request(SCREEN, { u: talent.id, d }))).toBe('CONFLICT');
    }
    expect((await stack.api.data(USER, { id: talent.id })).user.screeningStatus).toBe('APPROVED');
  });

  it('a rejected talent may be screened again', async () => {
    const talent = await newMember(['TALENT']);
    expect((await inspector.api.data(SCREEN, { u: talent.id, d: 'REJECT' })).screenTalent.screeningStatus).toBe('REJECTED');
    expect((await talent.api.data(ME)).me.screeningStatus).toBe('REJECTED');
    expect((await inspector.api.data(SCREEN, { u: talent.id, d: 'APPROVE' })).screenTalent.screeningStatus).toBe('APPROVED');
  });

  it('requires the TALENT role and membership (PRECONDITION_FAILED); nothing changes', async () => {
    const notMember = await newUser(['TALENT']);
    const pending = await newUser(['TALENT']);
    await submit(pending);
    const client = await newMember(['CLIENT']);
    for (const u of [notMember, pending, client]) {
      const res = await inspector.api.request(SCREEN, { u: u.id, d: 'APPROVE' });
      expect(errorCode(res)).toBe('PRECONDITION_FAILED');
      expect(res.data ?? null).toBeNull();
      expect((await u.api.data(ME)).me.screeningStatus).toBe('NOT_SCREENED');
    }
    expect(errorCode(await inspector.api.request(SCREEN, { u: randomUUID(), d: 'APPROVE' }))).toBe('NOT_FOUND');
  });

  it('only inspectors screen: FORBIDDEN for a talent, UNAUTHENTICATED anonymously', async () => {
    const talent = await newMember(['TALENT']);
    const peer = await newMember(['TALENT', 'CLIENT']);
    expect(errorCode(await peer.api.request(SCREEN, { u: talent.id, d: 'APPROVE' }))).toBe('FORBIDDEN');
    expect(errorCode(await peer.api.request(SCREEN, { u: peer.id, d: 'APPROVE' }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(SCREEN, { u: talent.id, d: 'APPROVE' }))).toBe('UNAUTHENTICATED');
    expect((await talent.api.data(ME)).me.screeningStatus).toBe('NOT_SCREENED');
  });

  it('an inspector screening themselves is FORBIDDEN', async () => {
    // A member talent who then becomes an inspector.
    const self = await grantRole(stack, admin, await newMember(['TALENT']), 'INSPECTOR');
    const res = await self.api.request(SCREEN, { u: self.id, d: 'APPROVE' });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect((await self.api.data(ME)).me.screeningStatus).toBe('NOT_SCREENED');
  });
});

describe('PII at rest', () => {
  it('stores legal name, document number and date of birth encrypted, bound to their row and column', async () => {
    const user = await newUser();
    const input = kyc({ legalName: 'Grace Brewster Murray', dateOfBirth: '1986-12-09', documentNumber: 'GB-7731 9902' });
    const caseId = await submitKyc(user, input);
    const row = await caseRow(caseId);
    const plaintexts = ['Grace Brewster Murray', 'Grace', 'Murray', '1986-12-09', '19861209', 'GB77319902', 'GB-7731 9902', '77319902'];
    for (const column of ['legal_name_enc', 'document_number_enc', 'date_of_birth_enc']) {
      const value: string = row[column];
      // Versioned, naming its key (KYC_ENCRYPTION_KEY is the key `default`).
      expect(value).toMatch(/^v2\.default\./);
      for (const p of plaintexts) expect(value.toLowerCase()).not.toContain(p.toLowerCase());
      // Not merely an encoding of the plaintext either.
      const decoded = Buffer.from(value.split('.')[4] ?? '', 'base64url').toString('utf8');
      for (const p of plaintexts) expect(decoded).not.toContain(p);
    }
    expect(row.document_number_last4).toBe('9902');
    // With the service's key, the values decrypt for their own row and column only.
    const cipher = new FieldCipher(stack.kycKey);
    expect(cipher.decrypt(row.legal_name_enc, `kyc_cases:${caseId}:legal_name`)).toBe('Grace Brewster Murray');
    expect(cipher.decrypt(row.document_number_enc, `kyc_cases:${caseId}:document_number`)).toBe('GB77319902');
    expect(cipher.decrypt(row.date_of_birth_enc, `kyc_cases:${caseId}:date_of_birth`)).toBe('1986-12-09');
    expect(() => cipher.decrypt(row.document_number_enc, `kyc_cases:${caseId}:legal_name`)).toThrow();
    expect(() => cipher.decrypt(row.document_number_enc, `kyc_cases:${randomUUID()}:document_number`)).toThrow();
    // Two identical values encrypt differently (fresh IV per value).
    const other = await newUser();
    const otherCase = await submitKyc(other, input);
    expect((await caseRow(otherCase)).document_number_enc).not.toBe(row.document_number_enc);
  });

  it('keeps PII out of the outbox envelopes', async () => {
    const rows = await stack.sql<{ envelope: unknown }>('SELECT envelope FROM outbox');
    expect(rows.length).toBeGreaterThan(10);
    const all = JSON.stringify(rows.map((r) => r.envelope));
    expect(all).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/i);
    expect(pii.emails.size).toBeGreaterThan(5);
    expect(pii.kyc.size).toBeGreaterThan(5);
    expect(leaked(all, pii.emails)).toEqual([]);
    expect(leaked(all, pii.kyc)).toEqual([]);
    expect(leaked(all, ['Grace Brewster Murray', 'Grace', 'Murray', '1986-12-09', 'GB77319902', 'AB1234567890'])).toEqual([]);
  });
});

describe('events', () => {
  it('publishes the flow to the outbox and to identity.events.v1, without PII', async () => {
    const inspector = await newInspector();
    const referred = track(await register(stack, { roles: ['TALENT', 'CONNECTOR'], referralCode: 'friend-2024' }));
    const rejectedCase = await submit(referred);
    await reviewKyc(inspector, rejectedCase, 'REJECT', 'expired document');
    const approvedCase = await submit(referred, { country: 'fr', documentType: 'DRIVERS_LICENSE' });
    await reviewKyc(inspector, approvedCase, 'APPROVE');
    await inspector.api.data(SCREEN, { u: referred.id, d: 'APPROVE', n: 'great references' });

    type Row = { id: string; type: string; message_key: string; envelope: Received['envelope']; published_at: Date | null };
    const rowsFor = (ids: string[]) =>
      stack.sql<Row>(
        `SELECT id, type, message_key, envelope, published_at FROM outbox
          WHERE envelope->>'aggregateId' = ANY($1::text[]) ORDER BY seq`,
        [ids],
      );
    // The relay publishes and marks every row.
    const rows = await waitFor(
      async () => {
        const r = await rowsFor([referred.id, inspector.id]);
        return r.length > 0 && r.every((x) => x.published_at !== null) ? r : null;
      },
      15_000,
      { message: 'outbox rows published' },
    );
    const mine = rows.filter((r) => r.message_key === referred.id);
    expect(mine.map((r) => r.type)).toEqual(['UserRegistered', 'KycSubmitted', 'KycRejected', 'KycSubmitted', 'KycApproved', 'TalentScreened']);
    const byType = (t: string) => mine.filter((r) => r.type === t).map((r) => r.envelope.payload);
    expect(byType('UserRegistered')).toEqual([expect.objectContaining({ userId: referred.id, roles: ['TALENT', 'CONNECTOR'], referralCode: 'FRIEND-2024' })]);
    expect(byType('KycSubmitted')).toEqual([
      { caseId: rejectedCase, userId: referred.id, country: 'GB', documentType: 'PASSPORT' },
      { caseId: approvedCase, userId: referred.id, country: 'FR', documentType: 'DRIVERS_LICENSE' },
    ]);
    expect(byType('KycRejected')).toEqual([expect.objectContaining({ caseId: rejectedCase, userId: referred.id, reviewerId: inspector.id })]);
    expect(byType('KycApproved')).toEqual([expect.objectContaining({ caseId: approvedCase, userId: referred.id, reviewerId: inspector.id, country: 'FR' })]);
    expect(byType('TalentScreened')).toEqual([expect.objectContaining({ talentId: referred.id, inspectorId: inspector.id, decision: 'APPROVED' })]);
    const admins = await stack.sql<{ id: string }>(`SELECT id FROM users WHERE 'ADMIN' = ANY(roles)`);
    expect(rows.filter((r) => r.message_key === inspector.id && r.type === 'RoleGranted').map((r) => r.envelope.payload)).toEqual([
      { userId: inspector.id, role: 'INSPECTOR', grantedBy: admins[0].id },
    ]);
    for (const r of rows) expect(r.envelope).toMatchObject({ id: r.id, type: r.type, source: 'identity', version: 1 });
    // The bootstrap admin's own registration and role.
    const bootstrap = await rowsFor([admins[0].id]);
    expect(bootstrap.map((r) => r.type)).toEqual(expect.arrayContaining(['UserRegistered', 'RoleGranted']));

    // A consumer of the topic receives every one of them, keyed by the user, with id and type headers.
    const expected = [...rows, ...bootstrap];
    await waitFor(() => expected.every((r) => received.some((m) => m.envelope.id === r.id)), 30_000, {
      message: `all ${expected.length} events consumed from ${TOPIC_NAME}`,
    });
    for (const r of expected) {
      const message = received.find((m) => m.envelope.id === r.id)!;
      expect(message.key).toBe(r.message_key);
      expect(message.headers).toMatchObject({ 'event-id': r.id, 'event-type': r.type });
      expect(message.envelope).toEqual(r.envelope);
    }
    const consumed = JSON.stringify(received.map((m) => m.envelope));
    // No PII, and not the reviewer's or inspector's free text either.
    expect(leaked(consumed, [...pii.emails, ...pii.kyc, 'expired document', 'great references'])).toEqual([]);
  });

  it('keeps PII and secrets out of the service logs', async () => {
    const logs = stack.identity.output() + stack.gateway.output();
    expect(logs).toContain('"service":"identity"'); // the logs are there
    expect(leaked(logs, [...pii.emails, ...pii.kyc, PASSWORD, stack.admin.password, admin.accessToken, admin.refreshToken])).toEqual([]);
  });
});
