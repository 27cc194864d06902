import { AuthResolver } from './auth/auth.resolver';
import { KycAccessLogResolver } from './kyc/kyc-access-log.resolver';
import { KycResolver } from './kyc/kyc.resolver';
import { OrganizationsResolver } from './organizations/organizations.resolver';
import { ScreeningResolver } from './screening/screening.resolver';
import { UsersResolver } from './users/users.resolver';

/** Every resolver of the identity subgraph (also used to print its SDL for composition). */
export const IDENTITY_RESOLVERS = [UsersResolver, AuthResolver, KycResolver, KycAccessLogResolver, ScreeningResolver, OrganizationsResolver];
