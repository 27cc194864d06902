/**
 * One person, one membership, driven through the gateway on the real stack: a second account
 * with an approved member's identity document is not approved, the inspector is told why (in
 * the queue and in the refusal), and nothing about the refused approval leaks out (no
 * KycApproved, no document number or fingerprint in responses, logs or events). The database
 * is read directly only for what a user cannot see: fingerprints, member documents, the outbox.
 */
import { randomBytes } from 'node:crypto';
import { errorCode, startServiceProcess, type ServiceProcess } from '@talent/testing';
import { DocumentFingerprinter } from '../src/kyc/document-fingerprint';
import { FieldCipher } from '@talent/platform';
import { grantRole, KYC_MUTATION, kycInput, loginAdmin, register, startIdentityStack, type IdentityStack, type Session } from './stack';

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

const QUEUE = `query ($first: Int) {
  kycQueue(first: $first) { edges { node { id status documentNumberLast4 documentAlreadyUsed user { id } } } }
}`;
const REVIEW = `mutation ($c: ID!, $d: ReviewDecision!, $r: String) {
  reviewKyc(caseId: $c, decision: $d, reason: $r) { id status reason documentAlreadyUsed user { id kycStatus isMember } }
}`;
const USER = `query ($id: ID!) { user(id: $id) { id kycStatus isMember } }`;
const ME = `{ me { id kycStatus isMember } }`;
const ALREADY_USED = /already belongs to another member account/;

let stack: IdentityStack;
let admin: Session;
let inspector: Session;
let otherInspector: Session;
/** Every normalized document number this file sends, and every fingerprint it sees: none may leak. */
const secrets = new Set<string>();

/** A document number unique to this run, as typed (with spaces and dashes) and normalized. */
const documentNumber = (prefix: string) => {
  const digits = randomBytes(4).readUInt32BE(0).toString().padStart(10, '0');
  const normalized = `${prefix}${digits}`;
  secrets.add(normalized);
  return { typed: `${prefix.toLowerCase()}-${digits.slice(0, 4)} ${digits.slice(4)}`, normalized };
};

const newUser = () => register(stack, { roles: ['TALENT'] });

/** Submits a case (the response must carry no error) and returns its id. */
async function submit(user: Session, overrides: Record<string, unknown>): Promise<string> {
  return (await user.api.data<{ submitKyc: { id: string } }>(KYC_MUTATION, { input: kycInput(overrides) })).submitKyc.id;
}

const caseRow = async (id: string) =>
  (await stack.sql<{ status: string; document_fingerprint: string | null }>('SELECT status, document_fingerprint FROM kyc_cases WHERE id = $1', [id]))[0];
const approvedEventsFor = (caseIds: string[]) =>
  stack.sql<{ case_id: string }>(
    `SELECT envelope->'payload'->>'caseId' AS case_id FROM outbox WHERE type = 'KycApproved' AND envelope->'payload'->>'caseId' = ANY($1::text[])`,
    [caseIds],
  );
const queueNode = async (reviewer: Session, caseId: string) =>
  (await reviewer.api.data(QUEUE, { first: 100 })).kycQueue.edges
    .map((e: { node: Record<string, any> }) => e.node)
    .find((n: { id: string }) => n.id === caseId);

beforeAll(async () => {
  // Production's log level, so the request logs are there to be checked for document numbers.
  stack = await startIdentityStack({ identityEnv: { LOG_LEVEL: 'info' }, gatewayEnv: { LOG_LEVEL: 'info' } });
  admin = await loginAdmin(stack);
  inspector = await grantRole(stack, admin, await newUser(), 'INSPECTOR');
  otherInspector = await grantRole(stack, admin, await newUser(), 'INSPECTOR');
});

afterAll(async () => {
  await stack?.stop();
});

describe('one person, one membership', () => {
  it('refuses to approve a second account with a member’s document, tells the inspector why, and changes nothing', async () => {
    const passport = documentNumber('ZX');
    const first = await newUser();
    const second = await newUser();
    const firstCase = await submit(first, { documentType: 'PASSPORT', country: 'GB', documentNumber: passport.normalized });
    // The same passport typed differently (case, spaces, dashes, country in lower case).
    const secondCase = await submit(second, { documentType: 'PASSPORT', country: 'gb', documentNumber: passport.typed });

    // Both cases carry the same keyed fingerprint, not the number.
    const expected = new DocumentFingerprinter(stack.fingerprintKey).fingerprint({
      documentType: 'PASSPORT',
      country: 'GB',
      documentNumber: passport.normalized,
    });
    secrets.add(expected);
    expect((await caseRow(firstCase)).document_fingerprint).toBe(expected);
    expect((await caseRow(secondCase)).document_fingerprint).toBe(expected);
    expect(expected).not.toContain(passport.normalized);

    // Before anyone is approved, neither case is flagged.
    expect(await queueNode(inspector, firstCase)).toMatchObject({ documentAlreadyUsed: false });
    expect(await queueNode(inspector, secondCase)).toMatchObject({ documentAlreadyUsed: false });

    const approved = await inspector.api.data(REVIEW, { c: firstCase, d: 'APPROVE' });
    expect(approved.reviewKyc).toMatchObject({ status: 'APPROVED', documentAlreadyUsed: false, user: { id: first.id, isMember: true } });
    expect(await stack.sql('SELECT user_id, kyc_case_id FROM member_documents WHERE fingerprint = $1', [expected])).toEqual([
      { user_id: first.id, kyc_case_id: firstCase },
    ]);

    // The queue now tells the inspector, before they decide.
    expect(await queueNode(inspector, secondCase)).toMatchObject({ status: 'PENDING', documentAlreadyUsed: true, user: { id: second.id } });
    // The submitter is never told (nobody may probe whether someone's document is registered here).
    const prober = await newUser();
    const probe = await prober.api.data(`mutation ($input: SubmitKycInput!) { submitKyc(input: $input) { id documentAlreadyUsed } }`, {
      input: kycInput({ documentType: 'PASSPORT', country: 'GB', documentNumber: passport.typed }),
    });
    expect(probe.submitKyc.documentAlreadyUsed).toBeNull();

    const refused = await inspector.api.request(REVIEW, { c: secondCase, d: 'APPROVE' });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors![0].message).toMatch(ALREADY_USED);
    expect(refused.data ?? null).toBeNull();
    for (const s of [passport.normalized, expected]) expect(JSON.stringify(refused)).not.toContain(s);
    // An admin is refused the same way.
    const byAdmin = await admin.api.request(REVIEW, { c: secondCase, d: 'APPROVE' });
    expect(errorCode(byAdmin)).toBe('CONFLICT');
    expect(byAdmin.errors![0].message).toMatch(ALREADY_USED);

    // Nothing changed: the case is still open, the user is not a member, no KycApproved was written.
    expect(await caseRow(secondCase)).toMatchObject({ status: 'PENDING' });
    expect(await queueNode(inspector, secondCase)).toMatchObject({ status: 'PENDING', documentAlreadyUsed: true });
    expect((await second.api.data(ME)).me).toEqual({ id: second.id, kycStatus: 'PENDING', isMember: false });
    expect((await inspector.api.data(USER, { id: second.id })).user).toMatchObject({ isMember: false });
    expect(await approvedEventsFor([firstCase, secondCase])).toEqual([{ case_id: firstCase }]);
    expect(await stack.sql('SELECT 1 FROM member_documents WHERE user_id = $1', [second.id])).toHaveLength(0);
    // The member keeps their membership.
    expect((await first.api.data(ME)).me).toMatchObject({ kycStatus: 'APPROVED', isMember: true });

    // The case can still be rejected.
    const rejected = await inspector.api.data(REVIEW, { c: secondCase, d: 'REJECT', r: 'document belongs to another member' });
    expect(rejected.reviewKyc).toMatchObject({
      status: 'REJECTED',
      reason: 'document belongs to another member',
      documentAlreadyUsed: true,
      user: { id: second.id, kycStatus: 'REJECTED', isMember: false },
    });
    expect(await approvedEventsFor([firstCase, secondCase])).toEqual([{ case_id: firstCase }]);
    expect(
      (await stack.sql(`SELECT count(*)::int AS n FROM outbox WHERE type = 'KycRejected' AND envelope->'payload'->>'caseId' = $1`, [secondCase]))[0].n,
    ).toBe(1);

    // With a document of their own, the second account can still become a member.
    const own = documentNumber('QP');
    const ownCase = await submit(second, { documentType: 'PASSPORT', country: 'GB', documentNumber: own.typed });
    expect(await queueNode(inspector, ownCase)).toMatchObject({ documentAlreadyUsed: false });
    expect((await inspector.api.data(REVIEW, { c: ownCase, d: 'APPROVE' })).reviewKyc).toMatchObject({ status: 'APPROVED', user: { isMember: true } });
  });

  it('approves a third account with a different document normally; the same number as another type or country is another document', async () => {
    const passport = documentNumber('AB');
    const holder = await newUser();
    await inspector.api.data(REVIEW, {
      c: await submit(holder, { documentType: 'PASSPORT', country: 'GB', documentNumber: passport.normalized }),
      d: 'APPROVE',
    });

    const third = await newUser();
    const other = documentNumber('CD');
    const thirdCase = await submit(third, { documentType: 'PASSPORT', country: 'GB', documentNumber: other.normalized });
    expect(await queueNode(inspector, thirdCase)).toMatchObject({ documentAlreadyUsed: false });
    expect((await inspector.api.data(REVIEW, { c: thirdCase, d: 'APPROVE' })).reviewKyc).toMatchObject({
      status: 'APPROVED',
      documentAlreadyUsed: false,
      user: { id: third.id, kycStatus: 'APPROVED', isMember: true },
    });
    expect(await approvedEventsFor([thirdCase])).toEqual([{ case_id: thirdCase }]);

    for (const document of [
      { documentType: 'ID_CARD', country: 'GB' },
      { documentType: 'PASSPORT', country: 'IE' },
    ]) {
      const user = await newUser();
      const caseId = await submit(user, { ...document, documentNumber: passport.normalized });
      expect(await queueNode(inspector, caseId)).toMatchObject({ documentAlreadyUsed: false });
      expect((await inspector.api.data(REVIEW, { c: caseId, d: 'APPROVE' })).reviewKyc).toMatchObject({ status: 'APPROVED', user: { isMember: true } });
    }
  });

  it('lets exactly one of two cases with one document through when both are approved at the same moment', async () => {
    const passport = documentNumber('RC');
    const users = await Promise.all([newUser(), newUser(), newUser()]);
    const caseIds = await Promise.all(
      users.map((u, i) => submit(u, { documentType: 'PASSPORT', country: 'FR', documentNumber: i % 2 ? passport.typed : passport.normalized })),
    );
    const reviewers = [inspector, otherInspector, admin];
    const results = await Promise.all(caseIds.map((c, i) => reviewers[i].api.request(REVIEW, { c, d: 'APPROVE' })));
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map((r) => [errorCode(r), r.errors![0].message])).toEqual([
      ['CONFLICT', expect.stringMatching(ALREADY_USED)],
      ['CONFLICT', expect.stringMatching(ALREADY_USED)],
    ]);
    const winner = winners[0].data!.reviewKyc.id as string;
    expect(await approvedEventsFor(caseIds)).toEqual([{ case_id: winner }]);
    const statuses = await stack.sql<{ id: string; status: string }>('SELECT id, status FROM kyc_cases WHERE id = ANY($1::uuid[]) ORDER BY id', [caseIds]);
    expect(statuses.filter((s) => s.status === 'APPROVED').map((s) => s.id)).toEqual([winner]);
    expect(statuses.filter((s) => s.status === 'PENDING')).toHaveLength(2);
    const members = await Promise.all(users.map(async (u) => (await inspector.api.data(USER, { id: u.id })).user.isMember));
    expect(members.filter(Boolean)).toHaveLength(1);
  });

  it('fingerprints cases left without one and records existing members at start, keeping members who share a document', async () => {
    // Two members approved before fingerprints existed who share a passport, and an open case
    // with it: made through the API, then put back into the state the migration leaves them in.
    const passport = documentNumber('LG');
    const older = await newUser();
    const newer = await newUser();
    const olderCase = await submit(older, { documentType: 'PASSPORT', country: 'DE', documentNumber: passport.normalized });
    await inspector.api.data(REVIEW, { c: olderCase, d: 'APPROVE' });
    const newerCase = await submit(newer, { documentType: 'PASSPORT', country: 'DE', documentNumber: documentNumber('XX').normalized });
    await inspector.api.data(REVIEW, { c: newerCase, d: 'APPROVE' });
    const cipher = new FieldCipher(stack.kycKey);
    await stack.sql('UPDATE kyc_cases SET document_number_enc = $2 WHERE id = $1', [
      newerCase,
      cipher.encrypt(passport.normalized, `kyc_cases:${newerCase}:document_number`),
    ]);
    const waiting = await newUser();
    const waitingCase = await submit(waiting, { documentType: 'PASSPORT', country: 'DE', documentNumber: passport.typed });
    const legacy = [olderCase, newerCase, waitingCase];
    await stack.sql('DELETE FROM member_documents WHERE kyc_case_id = ANY($1::uuid[])', [legacy]);
    await stack.sql('UPDATE kyc_cases SET document_fingerprint = NULL WHERE id = ANY($1::uuid[])', [legacy]);
    const before = await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM member_documents');

    // Two replicas of the new version start together on that database.
    const replicas: ServiceProcess[] = [];
    try {
      const env = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        SERVICE_NAME: 'identity',
        DATABASE_URL: stack.db.url,
        DATABASE_POOL_SIZE: '3',
        KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
        KAFKA_TOPIC_PREFIX: stack.topic(''),
        KAFKA_GROUP_ID: `identity-replica-${randomBytes(4).toString('hex')}`,
        REDIS_PREFIX: `identity-replica-${randomBytes(4).toString('hex')}`,
        JWT_PRIVATE_KEY: stack.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        KYC_ENCRYPTION_KEY: stack.kycKey.toString('base64'),
        KYC_FINGERPRINT_KEY: stack.fingerprintKey.toString('base64'),
      };
      replicas.push(
        ...(await Promise.all([1, 2].map((n) => startServiceProcess({ name: `identity-replica-${n}`, entry: 'apps/identity/dist/main.js', env })))),
      );
      const expected = new DocumentFingerprinter(stack.fingerprintKey).fingerprint({
        documentType: 'PASSPORT',
        country: 'DE',
        documentNumber: passport.normalized,
      });
      secrets.add(expected);
      for (const id of legacy) expect((await caseRow(id)).document_fingerprint).toBe(expected);
      // The member approved first holds the document; both stay members.
      expect(await stack.sql('SELECT user_id, kyc_case_id FROM member_documents WHERE fingerprint = $1', [expected])).toEqual([
        { user_id: older.id, kyc_case_id: olderCase },
      ]);
      expect((await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM member_documents'))[0].n).toBe(before[0].n + 1);
      for (const u of [older, newer]) expect((await u.api.data(ME)).me).toMatchObject({ kycStatus: 'APPROVED', isMember: true });
      // The open case is flagged and cannot be approved.
      expect(await queueNode(inspector, waitingCase)).toMatchObject({ documentAlreadyUsed: true });
      expect(errorCode(await inspector.api.request(REVIEW, { c: waitingCase, d: 'APPROVE' }))).toBe('CONFLICT');
      // The replicas logged counts, never a number or a fingerprint.
      const logs = replicas.map((r) => r.output()).join('\n');
      expect(logs).toContain('identity document fingerprints backfilled');
      expect([...secrets].filter((s) => logs.includes(s))).toEqual([]);
    } finally {
      for (const r of replicas) await r.stop();
    }
  });

  it('keeps document numbers and fingerprints out of the service logs and the events', async () => {
    const fingerprints = await stack.sql<{ f: string }>('SELECT document_fingerprint AS f FROM kyc_cases WHERE document_fingerprint IS NOT NULL');
    expect(fingerprints.length).toBeGreaterThan(5);
    const all = [...secrets, ...fingerprints.map((r) => r.f)];
    const logs = stack.identity.output() + stack.gateway.output();
    expect(logs).toContain('"service":"identity"'); // the logs are there
    expect(all.filter((s) => logs.toLowerCase().includes(s.toLowerCase()))).toEqual([]);
    const events = JSON.stringify((await stack.sql('SELECT envelope FROM outbox')).map((r) => r.envelope));
    expect(all.filter((s) => events.toLowerCase().includes(s.toLowerCase()))).toEqual([]);
  });
});
