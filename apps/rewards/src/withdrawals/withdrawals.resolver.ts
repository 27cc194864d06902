import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, DecimalScalar, RequestMeta, type AuthUser } from '@talent/platform';
import { canonicalTokens } from '@talent/platform';
import type { WithdrawalRecord } from './withdrawal.entity';
import { WithdrawalModel, WithdrawalStatusEnum } from './withdrawal.model';
import { WithdrawalsService } from './withdrawals.service';

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
  constructor(private readonly withdrawals: WithdrawalsService) {}

  @Mutation(() => WithdrawalModel, {
    description:
      'Members only. Holds the amount from the available balance and sends it to an EIP-55 checksummed address. ' +
      'Pass an idempotencyKey (strongly recommended; 8-100 letters, digits, "_" or "-", unique per user): a retry with the same key ' +
      'returns the same withdrawal, held once; the same key with another amount or address is a CONFLICT.',
  })
  @Authenticated()
  async requestWithdrawal(
    @CurrentUser() caller: AuthUser,
    @Args('amount', { type: () => DecimalScalar }) amount: string,
    @Args('toAddress') toAddress: string,
    @Args('idempotencyKey', { type: () => String, nullable: true }) idempotencyKey: string | null,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<WithdrawalModel> {
    return toModel(await this.withdrawals.request(caller, amount, toAddress, meta.traceparent, idempotencyKey));
  }

  @Query(() => [WithdrawalModel], { description: "The caller's withdrawals, newest first." })
  @Authenticated()
  async myWithdrawals(@CurrentUser() caller: AuthUser): Promise<WithdrawalModel[]> {
    return (await this.withdrawals.mine(caller)).map(toModel);
  }
}
