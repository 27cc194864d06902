import type { AuthUser } from '@talent/platform';
import { visibleJobReferrals } from './job-referral-visibility';

const CLIENT = 'c0000000-0000-4000-8000-000000000001';
const referrals = [
  { id: 'r1', connectorId: 'conn-1', talentId: 'talent-1' },
  { id: 'r2', connectorId: 'conn-2', talentId: 'talent-2' },
  { id: 'r3', connectorId: 'conn-1', talentId: 'talent-3' },
];
const user = (id: string, ...roles: AuthUser['roles']): AuthUser => ({ id, roles: roles.length ? roles : ['TALENT'] });
const ids = (rs: Array<{ id: string }>) => rs.map((r) => r.id);

describe('visibleJobReferrals', () => {
  it("shows every referral to the job's client and to admins", () => {
    expect(ids(visibleJobReferrals(user(CLIENT, 'CLIENT'), CLIENT, referrals))).toEqual(['r1', 'r2', 'r3']);
    expect(ids(visibleJobReferrals(user('admin', 'ADMIN'), CLIENT, referrals))).toEqual(['r1', 'r2', 'r3']);
    expect(ids(visibleJobReferrals(user('admin', 'ADMIN'), null, referrals))).toEqual(['r1', 'r2', 'r3']);
  });

  it('shows other signed-in users only the referrals they made or that name them', () => {
    expect(ids(visibleJobReferrals(user('conn-1', 'CONNECTOR'), CLIENT, referrals))).toEqual(['r1', 'r3']);
    expect(ids(visibleJobReferrals(user('talent-2'), CLIENT, referrals))).toEqual(['r2']);
    expect(ids(visibleJobReferrals(user('stranger', 'CLIENT'), CLIENT, referrals))).toEqual([]);
  });

  it("does not take a client role for the job's client, nor an unknown client for anyone", () => {
    expect(ids(visibleJobReferrals(user('other-client', 'CLIENT'), CLIENT, referrals))).toEqual([]);
    expect(ids(visibleJobReferrals(user(CLIENT, 'CLIENT'), null, referrals))).toEqual([]);
  });

  it('shows nothing to anonymous callers', () => {
    expect(visibleJobReferrals(null, CLIENT, referrals)).toEqual([]);
  });
});
