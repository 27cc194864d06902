/** What identity's events told matching about a talent. */
export interface EligibilityState {
  /** KYC approved (KycApproved). */
  member: boolean;
  /** The latest screening decision (TalentScreened), if any. */
  screening: 'APPROVED' | 'REJECTED' | null;
}

/** A talent is matched only as a member, screened APPROVED (a later rejection undoes it), and open to work. */
export const isEligible = (state: EligibilityState | null, openToWork: boolean): boolean =>
  !!state && state.member && state.screening === 'APPROVED' && openToWork;
