import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { createEvent, KycApproved } from '@talent/events';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { APP_CONFIG } from '../../config';
import { PreconditionFailedError } from '../../errors';
import { ON_EVENT_METADATA } from '../../messaging/on-event.decorator';
import { dataSourceOptions } from '../../persistence/data-source-options';
import { inTransaction } from '../../persistence/transactions';
import { membershipProviders, MembershipHandler, MembershipProjection, ensureMembersTable, type MemberApproval } from '.';

const approval = (over: Partial<MemberApproval> = {}): MemberApproval => ({
  caseId: randomUUID(),
  userId: randomUUID(),
  reviewerId: randomUUID(),
  country: 'FR',
  approvedAt: '2026-11-30T10:00:00.000Z',
  ...over,
});

describe('membership projection (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let membership: MembershipProjection;

  beforeAll(async () => {
    db = await createTestDatabase('membership');
    dataSource = await new DataSource(dataSourceOptions({ url: db.url, entities: [], migrations: [] })).initialize();
    const q = dataSource.createQueryRunner();
    await ensureMembersTable(q);
    await q.release();
    membership = new MembershipProjection(dataSource, { PROJECTION_WAIT_MS: 0 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('records an approval lower-cased, once: a replay or a later approval of the same user changes nothing', async () => {
    const first = approval({ userId: randomUUID().toUpperCase(), caseId: randomUUID().toUpperCase() });
    await inTransaction(dataSource, (tx) => membership.record(tx, first));
    await inTransaction(dataSource, (tx) => membership.record(tx, first));
    await inTransaction(dataSource, (tx) =>
      membership.record(tx, { ...first, userId: first.userId.toLowerCase(), caseId: randomUUID(), approvedAt: '2026-12-01T00:00:00.000Z' }),
    );

    const rows = await dataSource.query(`SELECT user_id::text, kyc_case_id::text, approved_at FROM members WHERE user_id = $1`, [first.userId]);
    expect(rows).toEqual([{ user_id: first.userId.toLowerCase(), kyc_case_id: first.caseId.toLowerCase(), approved_at: new Date(first.approvedAt) }]);
  });

  it('answers the queries whatever the case of the id, and names nobody with an id that is no UUID', async () => {
    const member = approval();
    await inTransaction(dataSource, (tx) => membership.record(tx, member));
    const tx = dataSource.manager;

    expect(await membership.isMember(tx, member.userId.toUpperCase())).toBe(true);
    expect(await membership.memberSince(tx, member.userId.toUpperCase())).toEqual(new Date(member.approvedAt));
    expect(await membership.isMember(tx, randomUUID())).toBe(false);
    expect(await membership.memberSince(tx, randomUUID())).toBeNull();
    expect(await membership.isMember(tx, 'not-a-uuid')).toBe(false);
    expect(await membership.wasMemberAt(tx, member.userId.toUpperCase(), new Date(member.approvedAt))).toBe(true);
    expect(await membership.wasMemberAt(tx, member.userId, new Date(Date.parse(member.approvedAt) - 1))).toBe(false);
    expect(await membership.waitUntilMember(member.userId)).toBe(true);
    expect(await membership.waitUntilMember(randomUUID())).toBe(false);
  });

  it('locks a member in the caller transaction and refuses a non-member with PRECONDITION_FAILED', async () => {
    const member = approval();
    await inTransaction(dataSource, (tx) => membership.record(tx, member));

    await inTransaction(dataSource, async (tx) => {
      expect(await membership.lock(tx, member.userId)).toBe(true);
      expect(await membership.lock(tx, randomUUID())).toBe(false);
      await expect(membership.requireMember(tx, member.userId, 'vote')).resolves.toBeUndefined();
      const refusal = membership.requireMember(tx, randomUUID(), 'vote');
      await expect(refusal).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(refusal).rejects.toThrow('Only members (KYC approved) may vote');
    });
  });

  it('writes in the consumer transaction: a handler whose transaction rolls back leaves no member', async () => {
    const handler = new MembershipHandler(membership);
    const event = createEvent(KycApproved, approval());
    await expect(
      inTransaction(dataSource, async (tx) => {
        await handler.onKycApproved(event, tx);
        throw new Error('a later handler failed');
      }),
    ).rejects.toThrow('a later handler failed');
    expect(await membership.isMember(dataSource.manager, event.payload.userId)).toBe(false);

    await inTransaction(dataSource, (tx) => handler.onKycApproved(event, tx));
    expect(await membership.isMember(dataSource.manager, event.payload.userId)).toBe(true);
  });

  it('is registered by membershipProviders: the KycApproved handler and the extra columns a service keeps', async () => {
    const q = dataSource.createQueryRunner();
    await q.query(`CREATE SCHEMA with_country`);
    await q.query(`SET search_path TO with_country`);
    try {
      await ensureMembersTable(q, [{ name: 'country', definition: `char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$')` }]);
      const module = await Test.createTestingModule({
        providers: [
          ...membershipProviders({ extraColumns: (a) => ({ country: a.country }) }),
          { provide: DataSource, useValue: dataSource },
          { provide: APP_CONFIG, useValue: { PROJECTION_WAIT_MS: 0 } },
        ],
      }).compile();
      expect(Reflect.getMetadata(ON_EVENT_METADATA, MembershipHandler)).toEqual([{ definition: KycApproved, method: 'onKycApproved' }]);

      const member = approval({ country: 'DE' });
      await module.get(MembershipHandler).onKycApproved(createEvent(KycApproved, member), q.manager);
      expect(await q.query(`SELECT country FROM members WHERE user_id = $1`, [member.userId])).toEqual([{ country: 'DE' }]);
    } finally {
      await q.query(`RESET search_path`);
      await q.release();
    }
  });

  it('brings an older table to the one shape, idempotently: uuid columns, ids lower-cased, recorded_at added', async () => {
    const q = dataSource.createQueryRunner();
    await q.query(`CREATE SCHEMA legacy`);
    await q.query(`SET search_path TO legacy`);
    try {
      const upper = randomUUID().toUpperCase();
      await q.query(`CREATE TABLE members (user_id text PRIMARY KEY, kyc_case_id text NOT NULL, approved_at timestamptz NOT NULL)`);
      await q.query(`INSERT INTO members (user_id, kyc_case_id, approved_at) VALUES ($1, $1, now())`, [upper]);

      await ensureMembersTable(q);
      await ensureMembersTable(q);

      const columns = await q.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'legacy' AND table_name = 'members' ORDER BY ordinal_position`,
      );
      expect(columns).toEqual([
        { column_name: 'user_id', data_type: 'uuid' },
        { column_name: 'kyc_case_id', data_type: 'uuid' },
        { column_name: 'approved_at', data_type: 'timestamp with time zone' },
        { column_name: 'recorded_at', data_type: 'timestamp with time zone' },
      ]);
      expect(await q.query(`SELECT user_id::text, kyc_case_id::text FROM members`)).toEqual([
        { user_id: upper.toLowerCase(), kyc_case_id: upper.toLowerCase() },
      ]);
    } finally {
      await q.query(`RESET search_path`);
      await q.release();
    }
  });
});
