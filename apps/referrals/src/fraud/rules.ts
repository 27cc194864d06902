import type { InvalidReason } from '../shared/referral.types';

/** What is known when a referral is made (a signup with a code, or a job referral). */
export interface CreationFacts {
  connectorId: string;
  referredUserId: string;
  /** The referred user already reaches the connector through referrals (see `closesRing`). */
  closesRing: boolean;
}

/** What is known when a referral would qualify (a hire). */
export interface QualificationFacts extends CreationFacts {
  /** The connector is a member (KYC approved) now. */
  connectorIsMember: boolean;
  /** Another referral of the same referred user and kind already qualified. */
  alreadyQualified: boolean;
  /** Qualifications the connector already earned on the UTC day of this hire. */
  connectorQualificationsThatDay: number;
  dailyCap: number;
}

/**
 * The rules a new referral must pass; a refused one is stored INVALID with the reason.
 * A direct API call that refers oneself is refused before it gets here (FORBIDDEN); the rule
 * still holds for signups, where a code's owner and the new user could be one after a race.
 */
export function creationVerdict(facts: CreationFacts): InvalidReason | null {
  if (facts.connectorId === facts.referredUserId) return 'SELF_REFERRAL';
  if (facts.closesRing) return 'REFERRAL_RING';
  return null;
}

/**
 * The rules a referral must pass to qualify, first failing rule wins: the creation rules
 * again (defence in depth), then membership, once per referred user and kind, and the
 * connector's daily cap (only qualifications that passed count towards it).
 */
export function qualificationVerdict(facts: QualificationFacts): InvalidReason | null {
  const atCreation = creationVerdict(facts);
  if (atCreation) return atCreation;
  if (!facts.connectorIsMember) return 'NOT_A_MEMBER';
  if (facts.alreadyQualified) return 'ALREADY_REWARDED';
  if (facts.connectorQualificationsThatDay >= facts.dailyCap) return 'DAILY_CAP';
  return null;
}

/**
 * A job referral counts only if it was made strictly before the talent applied to the job: one
 * made later claims an application that happened without it. Fails closed (an unreadable date
 * refuses). Signup referrals are not concerned: their code can only be given at registration.
 */
export function jobReferralOrderVerdict(referralCreatedAt: Date, appliedAt: Date): InvalidReason | null {
  return referralCreatedAt.getTime() < appliedAt.getTime() ? null : 'REFERRED_AFTER_APPLICATION';
}

/** The UTC calendar day containing `at`, as a half-open interval [start, end). */
export function utcDay(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  return { start, end: new Date(start.getTime() + 86_400_000) };
}
