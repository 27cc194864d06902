import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { KycApproved } from '@talent/events';
import { assertSystem, inUseCaseTransaction, MembershipProjection, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { GrantsService } from '../grants/grants.service';
import { Ledger } from '../ledger/ledger';

const AdmitMemberCommand = KycApproved.schema;

/**
 * Use case (the system's, on identity's KycApproved): the user becomes a member here too (the
 * shared projection), gets a wallet, and is paid the rewards that waited for the approval; all
 * in one transaction (the consumer's).
 */
@Injectable()
export class AdmitMember implements UseCase<z.input<typeof AdmitMemberCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly membership: MembershipProjection,
    private readonly ledger: Ledger,
    private readonly grants: GrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof AdmitMemberCommand>): Promise<void> {
    assertSystem(ctx, 'AdmitMember');
    const approval = parseCommand(AdmitMemberCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await this.membership.record(tx, approval);
      await this.ledger.openWallet(tx, approval.userId);
      await this.grants.settleAwaitingMembership(tx, approval.userId, approval.approvedAt);
    });
  }
}
