import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { CodesService } from './codes.service';

// The platform barrel pulls in ESM-only packages the unit project does not transform; this unit needs only the token.

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
const service = () => new CodesService({} as DataSource, logger);

describe('CodesService.issue', () => {
  it('draws again when a drawn code is taken', async () => {
    const taken = new Map([['AAAAAAAA', 'someone-else']]);
    const { tx, inserts } = fakeTx(taken);
    const draws = ['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB'];
    const code = await service().issue(tx, 'member-1', () => draws.shift()!);
    expect(code).toBe('BBBBBBBB');
    expect(inserts).toEqual(['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB']);
    expect(taken.get('BBBBBBBB')).toBe('member-1');
  });

  it('keeps the code a member already has', async () => {
    const taken = new Map([['CCCCCCCC', 'member-1']]);
    const { tx } = fakeTx(taken);
    expect(await service().issue(tx, 'member-1', () => 'DDDDDDDD')).toBe('CCCCCCCC');
    expect([...taken.keys()]).toEqual(['CCCCCCCC']);
  });

  it('gives up after a bounded number of draws (the event is then retried)', async () => {
    const { tx, inserts } = fakeTx(new Map([['EEEEEEEE', 'someone-else']]));
    await expect(service().issue(tx, 'member-1', () => 'EEEEEEEE')).rejects.toThrow('could not draw a free referral code');
    expect(inserts.length).toBe(8);
  });
});
