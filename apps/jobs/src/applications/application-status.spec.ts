import { DomainError } from '@talent/platform';
import {
  APPLICATION_STATUSES,
  APPLICATION_TRANSITIONS,
  canTransition,
  FINAL_APPLICATION_STATUSES,
  initialStatus,
  isOpenApplication,
  OPEN_APPLICATION_STATUSES,
  transition,
  type ApplicationAction,
  type ApplicationStatus,
} from './application-status';

/** The whole machine, written out independently of the table: status -> action -> next status ('-' = refused). */
const EXPECTED: Record<ApplicationStatus, Record<ApplicationAction, ApplicationStatus | '-'>> = {
  PENDING_STAKE: {
    STAKE_LOCKED: 'SUBMITTED',
    STAKE_REJECTED: 'REJECTED',
    INTERVIEW_ATTENDED: '-',
    INTERVIEW_NO_SHOW: '-',
    HIRE: '-',
    DECLINE: 'DECLINED',
    WITHDRAW: 'WITHDRAWN',
  },
  SUBMITTED: {
    STAKE_LOCKED: '-',
    STAKE_REJECTED: '-',
    INTERVIEW_ATTENDED: 'INTERVIEWING',
    INTERVIEW_NO_SHOW: 'DECLINED',
    HIRE: 'HIRED',
    DECLINE: 'DECLINED',
    WITHDRAW: 'WITHDRAWN',
  },
  INTERVIEWING: {
    STAKE_LOCKED: '-',
    STAKE_REJECTED: '-',
    INTERVIEW_ATTENDED: 'INTERVIEWING',
    INTERVIEW_NO_SHOW: 'DECLINED',
    HIRE: 'HIRED',
    DECLINE: 'DECLINED',
    WITHDRAW: 'WITHDRAWN',
  },
  HIRED: { STAKE_LOCKED: '-', STAKE_REJECTED: '-', INTERVIEW_ATTENDED: '-', INTERVIEW_NO_SHOW: '-', HIRE: '-', DECLINE: '-', WITHDRAW: '-' },
  DECLINED: { STAKE_LOCKED: '-', STAKE_REJECTED: '-', INTERVIEW_ATTENDED: '-', INTERVIEW_NO_SHOW: '-', HIRE: '-', DECLINE: '-', WITHDRAW: '-' },
  WITHDRAWN: { STAKE_LOCKED: '-', STAKE_REJECTED: '-', INTERVIEW_ATTENDED: '-', INTERVIEW_NO_SHOW: '-', HIRE: '-', DECLINE: '-', WITHDRAW: '-' },
  REJECTED: { STAKE_LOCKED: '-', STAKE_REJECTED: '-', INTERVIEW_ATTENDED: '-', INTERVIEW_NO_SHOW: '-', HIRE: '-', DECLINE: '-', WITHDRAW: '-' },
};

const ACTIONS = Object.keys(APPLICATION_TRANSITIONS) as ApplicationAction[];
const CASES = APPLICATION_STATUSES.flatMap((status) => ACTIONS.map((action) => [status, action, EXPECTED[status][action]] as const));

describe('application status machine', () => {
  it("has exactly the contract's ApplicationStatus values", () => {
    expect([...APPLICATION_STATUSES]).toEqual(['PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING', 'HIRED', 'DECLINED', 'WITHDRAWN', 'REJECTED']);
  });

  it.each(CASES.filter(([, , next]) => next !== '-'))('%s --%s--> %s', (status, action, next) => {
    expect(canTransition(status, action)).toBe(true);
    expect(transition(status, action)).toBe(next);
  });

  it.each(CASES.filter(([, , next]) => next === '-'))('refuses %s --%s--> with CONFLICT', (status, action) => {
    expect(canTransition(status, action)).toBe(false);
    let thrown: unknown;
    try {
      transition(status, action);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('CONFLICT');
    expect((thrown as DomainError).message).toContain(`an application that is ${status}`);
  });

  it('names the action and the allowed statuses in the refusal', () => {
    expect(() => transition('HIRED', 'WITHDRAW')).toThrow('Cannot withdraw an application that is HIRED (allowed from PENDING_STAKE, SUBMITTED, INTERVIEWING)');
    expect(() => transition('DECLINED', 'HIRE')).toThrow('Cannot hire from an application that is DECLINED (allowed from SUBMITTED, INTERVIEWING)');
  });

  it('splits statuses into open (something can still happen) and final', () => {
    expect(OPEN_APPLICATION_STATUSES).toEqual(['PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING']);
    expect(FINAL_APPLICATION_STATUSES).toEqual(['HIRED', 'DECLINED', 'WITHDRAWN', 'REJECTED']);
    expect(isOpenApplication('INTERVIEWING')).toBe(true);
    expect(isOpenApplication('WITHDRAWN')).toBe(false);
  });

  it('starts an application with a stake in PENDING_STAKE, without one in SUBMITTED', () => {
    expect(initialStatus('10')).toBe('PENDING_STAKE');
    expect(initialStatus(null)).toBe('SUBMITTED');
  });
});
