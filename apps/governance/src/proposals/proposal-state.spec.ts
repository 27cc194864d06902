import { fromUnits, toUnits } from '@talent/platform';
import { dueTransition, lateQuorumEnd, nextTransition, quorumReached, succeeded, type ProposalStatus, type Tally } from './proposal-state';

const t0 = new Date('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const timing = (status: ProposalStatus) => ({ status, startsAt: at(100), endsAt: at(200), expiresAt: status === 'QUEUED' ? at(500) : null });
const tally = (forVotes: string, againstVotes: string, abstainVotes: string, quorum: string): Tally => ({ forVotes, againstVotes, abstainVotes, quorum });

describe('timed transitions', () => {
  // Written out by hand: status -> [transition, when] or none.
  const EXPECTED: Record<ProposalStatus, [string, number] | null> = {
    PENDING: ['start', 100],
    ACTIVE: ['end', 200],
    QUEUED: ['expire', 500],
    SUCCEEDED: null,
    DEFEATED: null,
    EXECUTED: null,
    CANCELED: null,
    EXPIRED: null,
  };

  it.each(Object.entries(EXPECTED))('%s -> %j', (status, expected) => {
    const next = nextTransition(timing(status as ProposalStatus));
    expect(next && [next.transition, (next.at.getTime() - t0.getTime()) / 1000]).toEqual(expected);
  });

  it('is due exactly from its instant on, never before', () => {
    expect(dueTransition(timing('PENDING'), at(99.999))).toBeNull();
    expect(dueTransition(timing('PENDING'), at(100))).toBe('start');
    expect(dueTransition(timing('ACTIVE'), at(199))).toBeNull();
    expect(dueTransition(timing('ACTIVE'), at(200))).toBe('end');
    expect(dueTransition(timing('QUEUED'), at(499))).toBeNull();
    expect(dueTransition(timing('QUEUED'), at(10_000))).toBe('expire');
    expect(dueTransition(timing('EXECUTED'), at(10_000))).toBeNull();
    expect(dueTransition(timing('CANCELED'), at(10_000))).toBeNull();
  });
});

describe('outcome', () => {
  it.each([
    // for, against, abstain, quorum, quorum reached, succeeded
    ['10', '9', '0', '10', true, true],
    ['10', '10', '0', '10', true, false], // a tie is defeated
    ['5', '0', '5', '10', true, true], // abstain counts towards quorum
    ['5', '0', '4.999999999999999999', '10', false, false], // one unit short
    ['0', '0', '10', '10', true, false], // only abstain: no majority FOR
    ['100', '1', '0', '100.000000000000000001', false, false],
    ['0', '0', '0', '0', true, false], // no one voted on an empty snapshot
  ] as const)('for %s against %s abstain %s quorum %s', (f, a, ab, q, reached, won) => {
    expect(quorumReached(tally(f, a, ab, q))).toBe(reached);
    expect(succeeded(tally(f, a, ab, q))).toBe(won);
  });
});

describe('late quorum', () => {
  const quorum = '10';
  it('moves the end to now + extension when the vote first reaching quorum comes late', () => {
    expect(lateQuorumEnd(tally('5', '0', '0', quorum), tally('10', '0', '0', quorum), at(200), at(190), 60)).toEqual(at(250));
  });
  it('leaves the end when enough time remains', () => {
    expect(lateQuorumEnd(tally('5', '0', '0', quorum), tally('10', '0', '0', quorum), at(200), at(100), 60)).toBeNull();
  });
  it('extends once: a vote after quorum was reached moves nothing', () => {
    expect(lateQuorumEnd(tally('10', '0', '0', quorum), tally('20', '0', '0', quorum), at(200), at(199), 60)).toBeNull();
  });
  it('does nothing for a vote that does not reach quorum', () => {
    expect(lateQuorumEnd(tally('1', '0', '0', quorum), tally('1', '5', '0', quorum), at(200), at(199), 60)).toBeNull();
  });
});

describe('token decimals', () => {
  it('round-trips 18 decimals exactly and refuses more', () => {
    expect(fromUnits(toUnits('123456789012345678.000000000000000001'))).toBe('123456789012345678.000000000000000001');
    expect(fromUnits(toUnits('10.500000000000000000'))).toBe('10.5');
    expect(fromUnits(toUnits('0'))).toBe('0');
    expect(fromUnits(toUnits('-0.25'))).toBe('-0.25');
    expect(() => toUnits('0.0000000000000000001')).toThrow(/18 decimals/);
    expect(() => toUnits('1e3')).toThrow(/not a decimal/);
  });
});
