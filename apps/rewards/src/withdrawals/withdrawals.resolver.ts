import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, DecimalScalar, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { canonicalTokens } from '@talent/platform';
import type { WithdrawalRecord } from './withdrawal.entity';
import { WithdrawalModel, WithdrawalStatusEnum } from './withdrawal.model';
import { RequestWithdrawal } from './request-withdrawal';
import { WithdrawalsReader } from './withdrawals.reader';

const toModel = (r: WithdrawalRecord): WithdrawalModel =>
  Object.assign(new WithdrawalModel(), {
    id: r.id,
    amount: canonicalTokens(r.amount),
    toAddress: r.toAddress,
    status: r.status as WithdrawalStatusEnum,
    txHash: r.txHash,
    createdAt: r.createdAt,
  });

@Resolver(() => WithdrawalModel)
export class WithdrawalsResolver {
  constructor(
    private readonly withdrawals: WithdrawalsReader,
    private readonly requestWithdrawalUseCase: RequestWithdrawal,
  ) {}

  @Mutation(() => WithdrawalModel, {
    description:
      'Members only. Holds the amount from the available balance and sends it to an EIP-55 checksummed address. ' +
      'Pass an idempotencyKey (strongly recommended; 8-100 letters, digits, "_" or "-", unique per user): a retry with the same key ' +
      'returns the same withdrawal, held once; the same key with another amount or address is a CONFLICT.',
  })
  @Authenticated()
  async requestWithdrawal(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('amount', { type: () => DecimalScalar }) amount: string,
    @Args('toAddress') toAddress: string,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null,
  ): Promise<WithdrawalModel> {
    return toModel(await this.requestWithdrawalUseCase.execute(ctx, { amount, toAddress, idempotencyKey }));
  }

  @Query(() => [WithdrawalModel], { description: "The caller's withdrawals, newest first." })
  @Authenticated()
  async myWithdrawals(@CurrentUser() caller: AuthUser): Promise<WithdrawalModel[]> {
    return (await this.withdrawals.mine(caller)).map(toModel);
  }
}
