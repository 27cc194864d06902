import { Module, type DynamicModule } from '@nestjs/common';
import { createLogger, PlatformModule, subgraphGraphQLModule, JwksTokenVerifier, RedisRevocationList, RevocationList, FieldCipher } from '@talent/platform';
import { AdminBootstrap } from './admin-bootstrap';
import { RefreshSession } from './auth/refresh-session';
import { RegisterAccount } from './auth/register-account';
import { RevokeMySessions } from './auth/revoke-my-sessions';
import { SignIn } from './auth/sign-in';
import { SignOut } from './auth/sign-out';
import { JwksController } from './auth/jwks.controller';
import { PasswordHasher } from './auth/password-hasher';
import { RefreshTokenRecord } from './auth/refresh-token.entity';
import { SessionsService } from './auth/sessions.service';
import { SignInThrottle } from './auth/sign-in-throttle';
import { SigningKeys } from './auth/signing-keys';
import { TokenService } from './auth/token.service';
import type { IdentityConfig } from './config';
import { DocumentFingerprinter } from './kyc/document-fingerprint';
import { DocumentFingerprintBackfill } from './kyc/document-fingerprint.backfill';
import { KycCaseRecord } from './kyc/kyc-case.entity';
import { KycAccessLog } from './kyc/kyc-access-log';
import { KycDetailsReadRecord } from './kyc/kyc-details-read.entity';
import { KycCasesStore } from './kyc/kyc-cases.store';
import { ListKycQueue } from './kyc/list-kyc-queue';
import { ReviewKycCase } from './kyc/review-kyc-case';
import { SubmitKycCase } from './kyc/submit-kyc-case';
import { ReadKycDetails } from './kyc/read-kyc-details';
import { MemberDocumentRecord } from './kyc/member-document.entity';
import { IdentitySchema1732600000000 } from './migrations/1732600000000-identity-schema';
import { MemberDocuments1735300000000 } from './migrations/1735300000000-member-documents';
import { SessionsAndDisabledAccounts1735400000000 } from './migrations/1735400000000-sessions-and-disabled-accounts';
import { KycDetailsReadsOrganizationEvents1735500000000 } from './migrations/1735500000000-kyc-details-reads-organization-events';
import { OrganizationMemberRecord, OrganizationRecord } from './organizations/organization.entity';
import { CreateOrganization } from './organizations/create-organization';
import { OrganizationsService } from './organizations/organizations.service';
import { IDENTITY_RESOLVERS } from './resolvers';
import { TalentScreeningRecord } from './screening/talent-screening.entity';
import { ScreenTalent } from './screening/screen-talent';
import { DisableAccount } from './users/disable-account';
import { EnableAccount } from './users/enable-account';
import { GrantRole } from './users/grant-role';
import { RevokeRole } from './users/revoke-role';
import { UserRecord } from './users/user.entity';
import { UsersService } from './users/users.service';

export const IDENTITY_ENTITIES = [
  UserRecord,
  RefreshTokenRecord,
  KycCaseRecord,
  MemberDocumentRecord,
  KycDetailsReadRecord,
  TalentScreeningRecord,
  OrganizationRecord,
  OrganizationMemberRecord,
];
export const IDENTITY_MIGRATIONS = [
  IdentitySchema1732600000000,
  MemberDocuments1735300000000,
  SessionsAndDisabledAccounts1735400000000,
  KycDetailsReadsOrganizationEvents1735500000000,
];

/** Use cases and services of the identity subgraph, shared by the app and by SDL printing. */
export const IDENTITY_PROVIDERS = [
  UsersService,
  RegisterAccount,
  SignIn,
  RefreshSession,
  SignOut,
  RevokeMySessions,
  TokenService,
  PasswordHasher,
  SignInThrottle,
  SessionsService,
  GrantRole,
  RevokeRole,
  DisableAccount,
  EnableAccount,
  SubmitKycCase,
  ReviewKycCase,
  ListKycQueue,
  KycCasesStore,
  ReadKycDetails,
  KycAccessLog,
  DocumentFingerprintBackfill,
  ScreenTalent,
  CreateOrganization,
  OrganizationsService,
  AdminBootstrap,
];

@Module({})
export class IdentityModule {
  static register(config: IdentityConfig, keys: SigningKeys, cipher: FieldCipher, fingerprints: DocumentFingerprinter): DynamicModule {
    // Identity writes the revocation list (sign-out, disabled accounts, roles) and checks its own tokens against it.
    const revocations = RedisRevocationList.fromUrl(config.REDIS_URL, createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL }));
    return {
      module: IdentityModule,
      imports: [
        PlatformModule.forService({
          config,
          entities: IDENTITY_ENTITIES,
          migrations: IDENTITY_MIGRATIONS,
          // Identity verifies its own tokens with its own key, without a network hop.
          tokenVerifier: new JwksTokenVerifier(keys.localKeySet(), { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE }, revocations),
          revocationList: revocations,
        }),
        subgraphGraphQLModule(),
      ],
      controllers: [JwksController],
      providers: [
        { provide: SigningKeys, useValue: keys },
        { provide: FieldCipher, useValue: cipher },
        { provide: DocumentFingerprinter, useValue: fingerprints },
        { provide: RedisRevocationList, useExisting: RevocationList },
        ...IDENTITY_PROVIDERS,
        ...IDENTITY_RESOLVERS,
      ],
    };
  }
}
