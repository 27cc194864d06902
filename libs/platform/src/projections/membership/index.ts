import type { Provider } from '@nestjs/common';
import { MembershipHandler } from './membership.handler';
import { MEMBERSHIP_OPTIONS, MembershipProjection, type MembershipOptions } from './membership-projection';

export * from './member.entity';
export * from './members-table';
export * from './membership-projection';
export * from './membership.handler';

/** The projection and its KycApproved handler, for a service's providers (its entity goes to its entities). */
export function membershipProviders(options: MembershipOptions = {}): Provider[] {
  return [{ provide: MEMBERSHIP_OPTIONS, useValue: options }, MembershipProjection, MembershipHandler];
}
