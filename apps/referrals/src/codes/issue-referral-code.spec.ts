import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { IssueReferralCode } from './issue-referral-code';

/** A transaction fake holding the referral_codes table in memory; any other call fails the test. */
function fakeTx(taken: Map<string, string> /* code -> userId */) {
  const inserts: string[] = [];
  const tx = {
    query: jest.fn(async (sql: string, [userId, code]: [string, string]) => {
      expect(sql).toMatch(/^INSERT INTO referral_codes .* ON CONFLICT DO NOTHING RETURNING code$/s);
      inserts.push(code);
      if (taken.has(code) || [...taken.values()].includes(userId)) return [];
      taken.set(code, userId);
      return [{ code }];
    }),
    getRepository: () => ({
      findOneBy: async ({ userId }: { userId: string }) => {
        const entry = [...taken].find(([, owner]) => owner === userId);
        return entry ? { userId, code: entry[0] } : null;
      },
    }),
  };
  return { tx: tx as unknown as EntityManager, inserts };
}

const logger = { child: () => logger, warn: jest.fn(), info: jest.fn() } as unknown as Logger;

/** The use case drawing the given codes in turn (the last one again once they run out). */
function issuing(draws: string[]): IssueReferralCode {
  return new (class extends IssueReferralCode {
    protected override drawCode = () => (draws.length > 1 ? draws.shift()! : draws[0]);
  })({} as DataSource, logger);
}

// The context without a caller: the system, in the consumer's transaction (here the fake).
const system = (tx: EntityManager) => ({ caller: null, tx });

describe('IssueReferralCode', () => {
  const member = randomUUID();

  it('draws again when a drawn code is taken', async () => {
    const taken = new Map([['AAAAAAAA', 'someone-else']]);
    const { tx, inserts } = fakeTx(taken);
    const code = await issuing(['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB']).execute(system(tx), { userId: member });
    expect(code).toBe('BBBBBBBB');
    expect(inserts).toEqual(['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB']);
    expect(taken.get('BBBBBBBB')).toBe(member);
  });

  it('keeps the code a member already has', async () => {
    const taken = new Map([['CCCCCCCC', member]]);
    const { tx } = fakeTx(taken);
    expect(await issuing(['DDDDDDDD']).execute(system(tx), { userId: member })).toBe('CCCCCCCC');
    expect([...taken.keys()]).toEqual(['CCCCCCCC']);
  });

  it('gives up after a bounded number of draws (the event is then retried)', async () => {
    const { tx, inserts } = fakeTx(new Map([['EEEEEEEE', 'someone-else']]));
    await expect(issuing(['EEEEEEEE']).execute(system(tx), { userId: member })).rejects.toThrow('could not draw a free referral code');
    expect(inserts.length).toBe(8);
  });

  it('refuses a user id that is not a UUID (BAD_USER_INPUT naming it)', async () => {
    const { tx, inserts } = fakeTx(new Map());
    await expect(issuing(['FFFFFFFF']).execute(system(tx), { userId: 'member-1' })).rejects.toThrow('userId');
    expect(inserts).toEqual([]);
  });
});
