import { ConflictError } from '@talent/platform';

/** The contract's ApplicationStatus, exactly. */
export const APPLICATION_STATUSES = ['PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING', 'HIRED', 'DECLINED', 'WITHDRAWN', 'REJECTED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Everything that can happen to an application. */
export type ApplicationAction =
  /** rewards locked the stake (StakeLocked); arrives with the rewards service. */
  | 'STAKE_LOCKED'
  /** rewards could not lock the stake (StakeRejected). */
  | 'STAKE_REJECTED'
  | 'INTERVIEW_ATTENDED'
  | 'INTERVIEW_NO_SHOW'
  | 'HIRE'
  /** The job closed or was filled by another hire. */
  | 'DECLINE'
  | 'WITHDRAW';

/**
 * THE status machine of an application: every use case moves an application only through
 * `transition`, so no path can skip a rule. A new application starts in `initialStatus`.
 *
 *   PENDING_STAKE --STAKE_LOCKED--> SUBMITTED --INTERVIEW_ATTENDED--> INTERVIEWING (again: stays)
 *   PENDING_STAKE --STAKE_REJECTED--> REJECTED
 *   SUBMITTED | INTERVIEWING --HIRE--> HIRED
 *   SUBMITTED | INTERVIEWING --INTERVIEW_NO_SHOW--> DECLINED
 *   PENDING_STAKE | SUBMITTED | INTERVIEWING --DECLINE--> DECLINED, --WITHDRAW--> WITHDRAWN
 *   HIRED, DECLINED, WITHDRAWN, REJECTED: final.
 */
export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationAction, { from: readonly ApplicationStatus[]; to: ApplicationStatus }>> = {
  STAKE_LOCKED: { from: ['PENDING_STAKE'], to: 'SUBMITTED' },
  STAKE_REJECTED: { from: ['PENDING_STAKE'], to: 'REJECTED' },
  INTERVIEW_ATTENDED: { from: ['SUBMITTED', 'INTERVIEWING'], to: 'INTERVIEWING' },
  INTERVIEW_NO_SHOW: { from: ['SUBMITTED', 'INTERVIEWING'], to: 'DECLINED' },
  HIRE: { from: ['SUBMITTED', 'INTERVIEWING'], to: 'HIRED' },
  DECLINE: { from: ['PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING'], to: 'DECLINED' },
  WITHDRAW: { from: ['PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING'], to: 'WITHDRAWN' },
};

/** Statuses some action can still leave: the application is "open". */
export const OPEN_APPLICATION_STATUSES: readonly ApplicationStatus[] = APPLICATION_STATUSES.filter((s) =>
  Object.values(APPLICATION_TRANSITIONS).some((t) => t.from.includes(s) && t.to !== s),
);

/** Statuses no action leaves. */
export const FINAL_APPLICATION_STATUSES: readonly ApplicationStatus[] = APPLICATION_STATUSES.filter((s) => !OPEN_APPLICATION_STATUSES.includes(s));

export const isOpenApplication = (status: ApplicationStatus): boolean => OPEN_APPLICATION_STATUSES.includes(status);

/** A new application waits for its stake to be locked when it has one; otherwise it is submitted at once. */
export const initialStatus = (stake: string | null): ApplicationStatus => (stake ? 'PENDING_STAKE' : 'SUBMITTED');

export const canTransition = (from: ApplicationStatus, action: ApplicationAction): boolean => APPLICATION_TRANSITIONS[action].from.includes(from);

const VERBS: Record<ApplicationAction, string> = {
  STAKE_LOCKED: 'confirm the stake of',
  STAKE_REJECTED: 'reject the stake of',
  INTERVIEW_ATTENDED: 'record an interview for',
  INTERVIEW_NO_SHOW: 'record a no-show for',
  HIRE: 'hire from',
  DECLINE: 'decline',
  WITHDRAW: 'withdraw',
};

/** The status after `action`, or CONFLICT naming the action and the current status. */
export function transition(from: ApplicationStatus, action: ApplicationAction): ApplicationStatus {
  const rule = APPLICATION_TRANSITIONS[action];
  if (!rule.from.includes(from)) {
    throw new ConflictError(`Cannot ${VERBS[action]} an application that is ${from} (allowed from ${rule.from.join(', ')})`);
  }
  return rule.to;
}
