/**
 * One person, one membership on a real PostgreSQL: the migration over a database that already
 * has members, the start-up backfill (idempotent, replicas together, existing members kept when
 * they share a document, unreadable cases passed over) and the unique key deciding between two
 * approvals that race. The approvals go through identity as its production module builds it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ConflictError, FieldCipher, type AuthUser } from '@talent/platform';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { openIdentity, openMigratedTo, type IdentityHarness } from '../../test/harness';
import { IDENTITY_MIGRATIONS } from '../app.module';
import { IdentitySchema1732600000000 } from '../migrations/1732600000000-identity-schema';
import { DocumentFingerprintBackfill } from './document-fingerprint.backfill';
import { DocumentFingerprinter, type IdentityDocument } from './document-fingerprint';
import { kycFieldAad } from './kyc-case.entity';
import { KycCasesStore } from './kyc-cases.store';
import { DOCUMENT_ALREADY_USED, ReviewKycCase } from './review-kyc-case';

/** Identity's KYC keys (its KYC_ENCRYPTION_KEY and KYC_FINGERPRINT_KEY): the previous version encrypted with the same. */
const kycKey = randomBytes(32);
const fingerprintKey = randomBytes(32);
const cipher = new FieldCipher(kycKey);
const fingerprinter = new DocumentFingerprinter(fingerprintKey);
const logs: unknown[][] = [];
const logger = { info: (...a: unknown[]) => logs.push(a), error: (...a: unknown[]) => logs.push(a), warn: (...a: unknown[]) => logs.push(a) };
const inspector = { id: randomUUID(), roles: ['INSPECTOR' as const] };

let db: TestDatabase;
/** The cases the previous version left, by role in these tests. */
const legacy: Record<string, { userId: string; caseId: string }> = {};
/** The database migrated by the new version, before it takes requests (its start-up backfill is run by hand, as replicas). */
let dataSource: DataSource;
/** The new version taking requests, built from its module over that database (opened for the approvals). */
let h: IdentityHarness;
const sql = <T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]> => dataSource.query(text, params);
/** What TypeORM hands the service's logger (failed queries, with their parameters). */
const queryLog: string[] = [];
/** Records every failed query TypeORM reports on the service's connection, then logs it as the service does. */
function recordFailedQueries(service: DataSource): void {
  const log = service.logger;
  const logQueryError = log.logQueryError.bind(log);
  log.logQueryError = (error, query, parameters, queryRunner) => {
    queryLog.push(JSON.stringify({ error: String(error), query, parameters }));
    logQueryError(error, query, parameters, queryRunner);
  };
}
// Replicas starting together each run their own (the service module runs one, at start).
const backfill = () => new DocumentFingerprintBackfill(dataSource, logger as never, cipher, fingerprinter);
const review = (reviewer: AuthUser, caseId: string, decision: 'APPROVE' | 'REJECT', reason: string | null) =>
  h.app.get(ReviewKycCase).execute({ caller: reviewer }, { caseId, decision, reason });

/** A user with a KYC case as the code before fingerprints wrote it (raw SQL, no fingerprint). */
async function legacyCase(
  run: (text: string, params?: unknown[]) => Promise<unknown>,
  document: IdentityDocument,
  status: 'PENDING' | 'APPROVED' | 'REJECTED',
  reviewedAt: Date | null = status === 'PENDING' ? null : new Date(),
  encryptWith: FieldCipher = cipher,
): Promise<{ userId: string; caseId: string }> {
  const userId = randomUUID();
  const caseId = randomUUID();
  await run(`INSERT INTO users (id, email, password_hash, display_name, roles, kyc_status) VALUES ($1, $2, 'x', 'Legacy', ARRAY['TALENT'], $3)`, [
    userId,
    `legacy-${userId}@example.test`,
    status,
  ]);
  await run(
    `INSERT INTO kyc_cases (id, user_id, status, country, document_type, legal_name_enc, document_number_enc, document_number_last4, date_of_birth_enc, reviewed_by, reviewed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      caseId,
      userId,
      status,
      document.country,
      document.documentType,
      encryptWith.encrypt('Legacy Person', kycFieldAad(caseId, 'legal_name')),
      encryptWith.encrypt(document.documentNumber, kycFieldAad(caseId, 'document_number')),
      document.documentNumber.slice(-4),
      encryptWith.encrypt('1980-01-01', kycFieldAad(caseId, 'date_of_birth')),
      reviewedAt ? inspector.id : null,
      reviewedAt,
    ],
  );
  return { userId, caseId };
}

const passport = (n: string): IdentityDocument => ({ documentType: 'PASSPORT', country: 'GB', documentNumber: n });
const fingerprintOf = async (caseId: string) => (await sql('SELECT document_fingerprint FROM kyc_cases WHERE id = $1', [caseId]))[0].document_fingerprint;
const holderOf = async (document: IdentityDocument) =>
  (await sql('SELECT user_id, kyc_case_id FROM member_documents WHERE fingerprint = $1', [fingerprinter.fingerprint(document)]))[0] ?? null;

beforeAll(async () => {
  db = await createTestDatabase('identity_membership');
  // The database as the previous version left it: members, open and rejected cases.
  const before = await openMigratedTo(db, [IdentitySchema1732600000000]);
  await before.query(
    `INSERT INTO users (id, email, password_hash, display_name, roles) VALUES ($1, 'inspector@example.test', 'x', 'Inspector', ARRAY['INSPECTOR'])`,
    [inspector.id],
  );
  legacy.shared1 = await legacyCase((t, p) => before.query(t, p), passport('SHARED0001'), 'APPROVED', new Date('2024-01-01T00:00:00Z'));
  legacy.shared2 = await legacyCase((t, p) => before.query(t, p), passport('shared-0001'), 'APPROVED', new Date('2024-02-01T00:00:00Z'));
  legacy.own = await legacyCase((t, p) => before.query(t, p), passport('OWN0000001'), 'APPROVED');
  legacy.pendingDuplicate = await legacyCase((t, p) => before.query(t, p), passport('OWN 000 0001'), 'PENDING');
  legacy.pendingFresh = await legacyCase((t, p) => before.query(t, p), passport('FRESH00001'), 'PENDING');
  legacy.rejected = await legacyCase((t, p) => before.query(t, p), passport('REJ0000001'), 'REJECTED');
  legacy.unreadable = await legacyCase((t, p) => before.query(t, p), passport('KEY0000001'), 'APPROVED', new Date(), new FieldCipher(randomBytes(32)));
  await before.destroy();
  // The new version starts: its migration runs over that data.
  dataSource = await openMigratedTo(db, IDENTITY_MIGRATIONS);
});

afterAll(async () => {
  await h?.close();
  await dataSource?.destroy();
  await db?.drop();
});

describe('migration and start-up backfill', () => {
  it('the migration keeps every case and adds empty fingerprints and an empty member table', async () => {
    expect(await sql('SELECT count(*)::int AS n, count(document_fingerprint)::int AS f FROM kyc_cases')).toEqual([{ n: 7, f: 0 }]);
    expect(await sql('SELECT count(*)::int AS n FROM member_documents')).toEqual([{ n: 0 }]);
  });

  it('fingerprints every readable case and records approved members; members sharing a document both stay members', async () => {
    logs.length = 0;
    // Replicas starting together: each case is fingerprinted once, by one of them.
    const results = await Promise.all([backfill().run(), backfill().run(), backfill().run()]);
    expect(results.reduce((sum, r) => sum + r.fingerprinted, 0)).toBe(6);
    expect(results.reduce((sum, r) => sum + r.membersRecorded, 0)).toBe(2);
    expect(results.every((r) => r.unreadable === 1)).toBe(true);

    expect(await fingerprintOf(legacy.shared1.caseId)).toBe(fingerprinter.fingerprint(passport('SHARED0001')));
    expect(await fingerprintOf(legacy.shared2.caseId)).toBe(fingerprinter.fingerprint(passport('SHARED0001')));
    expect(await fingerprintOf(legacy.pendingDuplicate.caseId)).toBe(fingerprinter.fingerprint(passport('OWN0000001')));
    expect(await fingerprintOf(legacy.rejected.caseId)).toBe(fingerprinter.fingerprint(passport('REJ0000001')));
    expect(await fingerprintOf(legacy.unreadable.caseId)).toBeNull();
    // The member approved first holds the shared document.
    expect(await holderOf(passport('SHARED0001'))).toEqual({ user_id: legacy.shared1.userId, kyc_case_id: legacy.shared1.caseId });
    expect(await holderOf(passport('OWN0000001'))).toEqual({ user_id: legacy.own.userId, kyc_case_id: legacy.own.caseId });
    expect(await sql('SELECT count(*)::int AS n FROM member_documents')).toEqual([{ n: 2 }]);
    // Nobody lost membership.
    const statuses = await sql<{ id: string; kyc_status: string }>('SELECT id, kyc_status FROM users WHERE id = ANY($1::uuid[])', [
      [legacy.shared1.userId, legacy.shared2.userId, legacy.own.userId],
    ]);
    expect(statuses.map((s) => s.kyc_status)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
  });

  it('is idempotent: a later start changes nothing', async () => {
    const snapshot = async () => [
      await sql('SELECT id, document_fingerprint FROM kyc_cases ORDER BY id'),
      await sql('SELECT * FROM member_documents ORDER BY fingerprint'),
    ];
    const before = await snapshot();
    expect(await backfill().run()).toEqual({ fingerprinted: 0, unreadable: 1, membersRecorded: 0, membersSharingADocument: 1 });
    expect(await snapshot()).toEqual(before);
  });

  it('the open cases are told apart: a member’s document is flagged, a fresh one is not', async () => {
    const used = await new KycCasesStore(dataSource).documentsAlreadyUsed([
      legacy.pendingDuplicate.caseId,
      legacy.pendingFresh.caseId,
      legacy.own.caseId,
      legacy.shared2.caseId,
      randomUUID(),
    ]);
    expect([...used.values()]).toEqual([true, false, false, true, false]);
  });

  it('logs counts only, never a number or a fingerprint', async () => {
    logs.length = 0;
    await backfill().onApplicationBootstrap();
    const text = JSON.stringify(logs);
    expect(text).toContain('unreadable');
    const fingerprints = (await sql<{ f: string }>('SELECT fingerprint AS f FROM member_documents')).map((r) => r.f);
    for (const secret of ['SHARED0001', 'OWN0000001', 'FRESH00001', 'KEY0000001', ...fingerprints]) expect(text).not.toContain(secret);
  });
});

describe('approval', () => {
  beforeAll(async () => {
    // Migrated and backfilled: the service now starts over it (its own start-up backfill finds nothing left to do).
    h = await openIdentity('membership', {
      database: db,
      env: { KYC_ENCRYPTION_KEY: kycKey.toString('base64'), KYC_FINGERPRINT_KEY: fingerprintKey.toString('base64') },
    });
    recordFailedQueries(h.dataSource);
  });

  afterEach(() => {
    expect(h.deadLetters).toEqual([]);
  });

  it('refuses a case whose document a member holds (computing a missing fingerprint from the number), and approves a fresh one', async () => {
    const duplicate = await legacyCase(sql, passport('own-0000-001'), 'PENDING');
    expect(await fingerprintOf(duplicate.caseId)).toBeNull(); // as if submitted by the previous version after the backfill
    await expect(review(inspector, duplicate.caseId, 'APPROVE', null)).rejects.toThrow(new ConflictError(DOCUMENT_ALREADY_USED));
    expect((await sql('SELECT status FROM kyc_cases WHERE id = $1', [duplicate.caseId]))[0].status).toBe('PENDING');
    expect(await sql(`SELECT 1 FROM outbox WHERE type = 'KycApproved'`)).toHaveLength(0);

    await review(inspector, legacy.pendingFresh.caseId, 'APPROVE', null);
    expect(await holderOf(passport('FRESH00001'))).toEqual({ user_id: legacy.pendingFresh.userId, kyc_case_id: legacy.pendingFresh.caseId });
    expect(await sql(`SELECT envelope->'payload'->>'caseId' AS c FROM outbox WHERE type = 'KycApproved'`)).toEqual([{ c: legacy.pendingFresh.caseId }]);
  });

  it('between two approvals that race, the unique key decides: the loser gets the same CONFLICT and changes nothing', async () => {
    const document = passport('RACE000001');
    const loser = await legacyCase(sql, document, 'PENDING');
    // Another approval of the same document, not yet committed when this one checks.
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      const winner = await legacyCase((t, p) => other.query(t, p as unknown[]), document, 'APPROVED');
      await other.query('BEGIN');
      await other.query(`INSERT INTO member_documents (fingerprint, user_id, kyc_case_id, approved_at) VALUES ($1, $2, $3, now())`, [
        fingerprinter.fingerprint(document),
        winner.userId,
        winner.caseId,
      ]);
      const approval = review(inspector, loser.caseId, 'APPROVE', null);
      // The review reads no holder, then waits on the uncommitted key; the commit makes it fail.
      await waitForLockWait();
      await other.query('COMMIT');
      await expect(approval).rejects.toThrow(new ConflictError(DOCUMENT_ALREADY_USED));
      // Refused without a failed query, which would be logged with the fingerprint as a parameter.
      expect(queryLog.filter((line) => line.includes(fingerprinter.fingerprint(document)))).toEqual([]);
      expect((await sql('SELECT status FROM kyc_cases WHERE id = $1', [loser.caseId]))[0].status).toBe('PENDING');
      expect((await sql('SELECT kyc_status FROM users WHERE id = $1', [loser.userId]))[0].kyc_status).toBe('PENDING');
      expect(await sql(`SELECT 1 FROM outbox WHERE type = 'KycApproved' AND envelope->'payload'->>'caseId' = $1`, [loser.caseId])).toHaveLength(0);
      // Rejecting it still works.
      expect((await review(inspector, loser.caseId, 'REJECT', 'belongs to another member')).status).toBe('REJECTED');
    } finally {
      await other.end();
    }
  });
});

/** Until some session of this database waits for a lock (the review blocked on the uncommitted key). */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await sql(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows.length > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the review never waited on the other transaction');
}
