/** The lifecycle every referral (signup or job) goes through; the contract's ReferralStatus. */
export type ReferralStatus = 'SIGNED_UP' | 'QUALIFIED' | 'REWARDED' | 'INVALID';

export type ReferralKind = 'TALENT' | 'CLIENT';

/** SIGNUP: a signup with the connector's code; JOB: the connector referred a talent to a job. */
export type ReferralType = 'SIGNUP' | 'JOB';

/** Why a fraud rule refused a referral (the reasons ReferralInvalidated carries). */
export type InvalidReason = 'SELF_REFERRAL' | 'REFERRAL_RING' | 'ALREADY_REWARDED' | 'DAILY_CAP' | 'NOT_A_MEMBER' | 'REFERRED_AFTER_APPLICATION';

/** What the qualification and fraud rules need to know of a referral, whichever table it lives in. */
export interface ReferralRef {
  id: string;
  type: ReferralType;
  kind: ReferralKind;
  connectorId: string;
  /** The referred user (signup) or the talent referred to a job. */
  referredUserId: string;
  status: ReferralStatus;
}
