import { Args, Context, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import {
  Authenticated,
  type AuthUser,
  BatchLoader,
  CurrentUser,
  hasRole,
  pageSize,
  PerRequest,
  type RequestContext,
  UseCaseCtx,
  type UseCaseContext,
} from '@talent/platform';
import { UserModel } from '../users/user.model';
import { toUserModel, UsersService } from '../users/users.service';
import type { KycCaseRecord } from './kyc-case.entity';
import { selectedDetailFields } from './detail-selection';
import { toAccessModel } from './kyc-access-log.resolver';
import { KycAccessLog } from './kyc-access-log';
import {
  KycCaseConnection,
  KycCaseDetailsModel,
  KycCaseModel,
  KycDetailsAccessModel,
  KycDocumentTypeEnum,
  ReviewDecisionEnum,
  SubmitKycInput,
} from './kyc.model';
import { ReadKycDetails } from './read-kyc-details';
import { KycStatusEnum } from '../users/user.model';
import { KycCasesStore } from './kyc-cases.store';
import { ListKycQueue } from './list-kyc-queue';
import { ReviewKycCase } from './review-kyc-case';
import { SubmitKycCase } from './submit-kyc-case';

/** Never exposes the encrypted fields: only what the contract's KycCase shows. */
const toModel = (r: KycCaseRecord): KycCaseModel =>
  Object.assign(new KycCaseModel(), {
    id: r.id,
    userId: r.userId,
    status: r.status as KycStatusEnum,
    country: r.country,
    documentType: r.documentType as KycDocumentTypeEnum,
    documentNumberLast4: r.documentNumberLast4,
    submittedAt: r.submittedAt,
    reviewedById: r.reviewedBy,
    reviewedAt: r.reviewedAt,
    reason: r.reason,
  });

@Resolver(() => KycCaseModel)
export class KycResolver {
  /** One query per request for `documentAlreadyUsed` of every case it returns. */
  private readonly documentUse: PerRequest<BatchLoader<string, boolean>>;

  constructor(
    private readonly submitKycCase: SubmitKycCase,
    private readonly reviewKycCase: ReviewKycCase,
    private readonly listKycQueue: ListKycQueue,
    private readonly cases: KycCasesStore,
    private readonly users: UsersService,
    private readonly readDetails: ReadKycDetails,
    private readonly accessLogs: KycAccessLog,
  ) {
    this.documentUse = new PerRequest(() => new BatchLoader((ids) => this.cases.documentsAlreadyUsed(ids)));
  }

  @Mutation(() => KycCaseModel)
  @Authenticated()
  async submitKyc(@UseCaseCtx() ctx: UseCaseContext, @Args('input') input: SubmitKycInput): Promise<KycCaseModel> {
    return toModel(await this.submitKycCase.execute(ctx, input));
  }

  @Mutation(() => KycCaseModel)
  @Authenticated()
  async reviewKyc(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('caseId', { type: () => ID }) caseId: string,
    @Args('decision', { type: () => ReviewDecisionEnum }) decision: ReviewDecisionEnum,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
  ): Promise<KycCaseModel> {
    return toModel(await this.reviewKycCase.execute(ctx, { caseId, decision, reason }));
  }

  @Query(() => KycCaseConnection, { description: 'Open KYC cases, oldest first (INSPECTOR or ADMIN).' })
  @Authenticated()
  async kycQueue(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<KycCaseConnection> {
    const page = await this.listKycQueue.execute(ctx, { first: pageSize(first, 20), after });
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: toModel(e.node) }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => Boolean, {
    nullable: true,
    description:
      'For reviewers (INSPECTOR, ADMIN) only: true when another member account was approved with the same identity document; such a case cannot be approved. Null for anyone else, so that nobody can probe whether a document is registered.',
  })
  async documentAlreadyUsed(
    @Parent() kycCase: KycCaseModel,
    @Context() context: RequestContext,
    @CurrentUser() caller: AuthUser | null,
  ): Promise<boolean | null> {
    if (!caller || !(hasRole(caller, 'INSPECTOR') || hasRole(caller, 'ADMIN'))) return null;
    return this.documentUse.for(context).load(kycCase.id);
  }

  @ResolveField(() => KycCaseDetailsModel, {
    nullable: true,
    description:
      "The case's personal data, decrypted: for a reviewer (INSPECTOR or ADMIN) other than the case's owner, while the case is PENDING. Null for anyone else (the owner included) and once the case is decided. Every read is recorded, with the fields asked for, in the owner's access log (myKycAccessLog).",
  })
  async details(
    @Parent() kycCase: KycCaseModel,
    @CurrentUser() caller: AuthUser | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<KycCaseDetailsModel | null> {
    const details = await this.readDetails.execute(caller, kycCase.id, selectedDetailFields(info));
    return details ? Object.assign(new KycCaseDetailsModel(), details) : null;
  }

  @ResolveField(() => [KycDetailsAccessModel], {
    nullable: true,
    description: "Who read this case's decrypted details, newest first: for the case's owner and admins; null for anyone else.",
  })
  async accessLog(@Parent() kycCase: KycCaseModel, @CurrentUser() caller: AuthUser | null): Promise<KycDetailsAccessModel[] | null> {
    if (!caller || (caller.id !== kycCase.userId && !hasRole(caller, 'ADMIN'))) return null;
    return (await this.accessLogs.forCase(kycCase.id)).map(toAccessModel);
  }

  @ResolveField(() => UserModel)
  async user(@Parent() kycCase: KycCaseModel): Promise<UserModel> {
    return toUserModel(await this.users.getOrThrow(kycCase.userId));
  }

  @ResolveField(() => UserModel, { nullable: true })
  async reviewedBy(@Parent() kycCase: KycCaseModel): Promise<UserModel | null> {
    if (!kycCase.reviewedById) return null;
    const user = await this.users.findById(kycCase.reviewedById);
    return user ? toUserModel(user) : null;
  }
}
