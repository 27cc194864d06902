import { creationVerdict, jobReferralOrderVerdict, qualificationVerdict, utcDay, type QualificationFacts } from './rules';

const A = 'a0000000-0000-4000-8000-000000000001';
const B = 'b0000000-0000-4000-8000-000000000002';

const passing: QualificationFacts = {
  connectorId: A,
  referredUserId: B,
  closesRing: false,
  connectorIsMember: true,
  alreadyQualified: false,
  connectorQualificationsThatDay: 0,
  dailyCap: 10,
};

describe('creationVerdict', () => {
  it('accepts a referral of someone else that closes no ring', () => {
    expect(creationVerdict({ connectorId: A, referredUserId: B, closesRing: false })).toBeNull();
  });

  it('refuses a self-referral (SELF_REFERRAL)', () => {
    expect(creationVerdict({ connectorId: A, referredUserId: A, closesRing: false })).toBe('SELF_REFERRAL');
  });

  it('refuses a referral that closes a ring (REFERRAL_RING)', () => {
    expect(creationVerdict({ connectorId: A, referredUserId: B, closesRing: true })).toBe('REFERRAL_RING');
  });
});

describe('qualificationVerdict', () => {
  it('qualifies when every rule passes', () => {
    expect(qualificationVerdict(passing)).toBeNull();
  });

  it.each<[string, Partial<QualificationFacts>, string]>([
    ['connector and referred user are one person', { referredUserId: A }, 'SELF_REFERRAL'],
    ['the referral closes a ring', { closesRing: true }, 'REFERRAL_RING'],
    ['the connector is not a member (any more)', { connectorIsMember: false }, 'NOT_A_MEMBER'],
    ['the referred user already qualified for this kind', { alreadyQualified: true }, 'ALREADY_REWARDED'],
    ['the connector reached the daily cap', { connectorQualificationsThatDay: 10 }, 'DAILY_CAP'],
    ['the connector is beyond the daily cap', { connectorQualificationsThatDay: 11 }, 'DAILY_CAP'],
  ])('refuses when %s', (_, facts, reason) => {
    expect(qualificationVerdict({ ...passing, ...facts })).toBe(reason);
  });

  it('lets the last qualification under the cap through', () => {
    expect(qualificationVerdict({ ...passing, connectorQualificationsThatDay: 9 })).toBeNull();
    expect(qualificationVerdict({ ...passing, dailyCap: 1, connectorQualificationsThatDay: 0 })).toBeNull();
    expect(qualificationVerdict({ ...passing, dailyCap: 1, connectorQualificationsThatDay: 1 })).toBe('DAILY_CAP');
  });

  it('names the first failing rule: self, ring, membership, once per user and kind, then the cap', () => {
    const allFailing = {
      ...passing,
      referredUserId: A,
      closesRing: true,
      connectorIsMember: false,
      alreadyQualified: true,
      connectorQualificationsThatDay: 99,
    };
    expect(qualificationVerdict(allFailing)).toBe('SELF_REFERRAL');
    expect(qualificationVerdict({ ...allFailing, referredUserId: B })).toBe('REFERRAL_RING');
    expect(qualificationVerdict({ ...allFailing, referredUserId: B, closesRing: false })).toBe('NOT_A_MEMBER');
    expect(qualificationVerdict({ ...allFailing, referredUserId: B, closesRing: false, connectorIsMember: true })).toBe('ALREADY_REWARDED');
  });
});

describe('jobReferralOrderVerdict', () => {
  const appliedAt = new Date('2025-03-10T12:00:00.000Z');

  it('lets a job referral made before the application count', () => {
    expect(jobReferralOrderVerdict(new Date('2025-03-10T11:59:59.999Z'), appliedAt)).toBeNull();
    expect(jobReferralOrderVerdict(new Date('2025-03-01T00:00:00.000Z'), appliedAt)).toBeNull();
  });

  it('refuses one made at the same instant or after (REFERRED_AFTER_APPLICATION)', () => {
    expect(jobReferralOrderVerdict(new Date('2025-03-10T12:00:00.000Z'), appliedAt)).toBe('REFERRED_AFTER_APPLICATION');
    expect(jobReferralOrderVerdict(new Date('2025-03-10T12:00:00.001Z'), appliedAt)).toBe('REFERRED_AFTER_APPLICATION');
    expect(jobReferralOrderVerdict(new Date('2025-03-11T00:00:00.000Z'), appliedAt)).toBe('REFERRED_AFTER_APPLICATION');
  });

  it('compares instants, whatever the offset they were written with', () => {
    expect(jobReferralOrderVerdict(new Date('2025-03-10T13:59:00+02:00'), appliedAt)).toBeNull();
    expect(jobReferralOrderVerdict(new Date('2025-03-10T14:00:00+02:00'), appliedAt)).toBe('REFERRED_AFTER_APPLICATION');
  });

  it('fails closed on an unreadable date', () => {
    expect(jobReferralOrderVerdict(new Date('2025-03-01T00:00:00.000Z'), new Date('not a date'))).toBe('REFERRED_AFTER_APPLICATION');
    expect(jobReferralOrderVerdict(new Date(Number.NaN), appliedAt)).toBe('REFERRED_AFTER_APPLICATION');
  });
});

describe('utcDay', () => {
  it('is the UTC calendar day around an instant, half-open', () => {
    expect(utcDay(new Date('2025-03-09T23:59:59.999Z'))).toEqual({
      start: new Date('2025-03-09T00:00:00.000Z'),
      end: new Date('2025-03-10T00:00:00.000Z'),
    });
    expect(utcDay(new Date('2025-03-10T00:00:00.000Z')).start).toEqual(new Date('2025-03-10T00:00:00.000Z'));
    // An instant given with an offset belongs to its UTC day.
    expect(utcDay(new Date('2025-03-10T01:30:00+02:00')).start).toEqual(new Date('2025-03-09T00:00:00.000Z'));
  });
});
