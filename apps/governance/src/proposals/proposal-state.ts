import { toUnits } from '@talent/platform';

export type ProposalKind = 'TEXT' | 'PARAMETER_CHANGE' | 'GRANT';
export type VoteSupport = 'FOR' | 'AGAINST' | 'ABSTAIN';

/**
 * PENDING --startsAt--> ACTIVE --endsAt--> QUEUED (succeeded) or DEFEATED
 * QUEUED --executeProposal, from executableAt--> EXECUTED
 * QUEUED --expiresAt (not executed in the grace period)--> EXPIRED
 * PENDING | ACTIVE | QUEUED --cancelProposal--> CANCELED
 * A succeeded proposal is queued in the same step as its vote ends, so SUCCEEDED is never
 * stored (it stays in the enum of the contract).
 */
export type ProposalStatus = 'PENDING' | 'ACTIVE' | 'SUCCEEDED' | 'DEFEATED' | 'QUEUED' | 'EXECUTED' | 'CANCELED' | 'EXPIRED';

export const TERMINAL_STATUSES: readonly ProposalStatus[] = ['DEFEATED', 'EXECUTED', 'CANCELED', 'EXPIRED'];

/** What moves a proposal on its own when its time comes (driven by delayed jobs and the sweep). */
export type TimedTransition = 'start' | 'end' | 'expire';

export interface ProposalTiming {
  status: ProposalStatus;
  startsAt: Date;
  endsAt: Date;
  expiresAt: Date | null;
}

export interface Tally {
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  quorum: string;
}

/** The next timed transition of a proposal and when it is due; null when nothing happens by itself any more. */
export function nextTransition(p: ProposalTiming): { transition: TimedTransition; at: Date } | null {
  switch (p.status) {
    case 'PENDING':
      return { transition: 'start', at: p.startsAt };
    case 'ACTIVE':
      return { transition: 'end', at: p.endsAt };
    case 'QUEUED':
      return p.expiresAt ? { transition: 'expire', at: p.expiresAt } : null;
    default:
      return null;
  }
}

/** The timed transition due at `now`, if any. */
export function dueTransition(p: ProposalTiming, now: Date): TimedTransition | null {
  const next = nextTransition(p);
  return next && next.at.getTime() <= now.getTime() ? next.transition : null;
}

/** FOR + ABSTAIN count towards the quorum (as in OpenZeppelin's GovernorCountingSimple). */
export function quorumReached(t: Tally): boolean {
  return toUnits(t.forVotes) + toUnits(t.abstainVotes) >= toUnits(t.quorum);
}

/** Succeeded: strictly more FOR than AGAINST, and the quorum reached. */
export function succeeded(t: Tally): boolean {
  return toUnits(t.forVotes) > toUnits(t.againstVotes) && quorumReached(t);
}

/**
 * Late-quorum prevention (OpenZeppelin GovernorPreventLateQuorum): the vote that makes the
 * proposal reach quorum for the first time moves the end to at least `now + extension`, so a
 * last-minute quorum leaves the others time to react. Returns the new end, or null for none.
 */
export function lateQuorumEnd(before: Tally, after: Tally, endsAt: Date, now: Date, extensionSeconds: number): Date | null {
  if (quorumReached(before) || !quorumReached(after)) return null;
  const extended = new Date(now.getTime() + extensionSeconds * 1000);
  return extended.getTime() > endsAt.getTime() ? extended : null;
}
