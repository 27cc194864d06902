import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { ContractRef, contractRef } from '../contracts/contract.model';
import { ApproveInvoice } from './approve-invoice';
import { toInvoiceModel } from './invoice.mapper';
import { InvoiceModel, SubmitInvoiceInput } from './invoice.model';
import { InvoicesReader } from './invoices.reader';
import { SubmitInvoice } from './submit-invoice';

@Resolver(() => InvoiceModel)
export class InvoicesResolver {
  constructor(
    private readonly invoices: InvoicesReader,
    private readonly submitInvoiceUseCase: SubmitInvoice,
    private readonly approveInvoiceUseCase: ApproveInvoice,
  ) {}

  @Query(() => InvoiceModel, { nullable: true, description: "Visible to the contract's talent and client and admins; null for an unknown id." })
  @Authenticated()
  async invoice(@CurrentUser() caller: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<InvoiceModel | null> {
    const invoice = await this.invoices.visibleTo(caller, id);
    return invoice ? toInvoiceModel(invoice) : null;
  }

  @Mutation(() => InvoiceModel, { description: "The contract's talent invoices an ACTIVE or COMPLETED contract." })
  @Authenticated()
  async submitInvoice(@UseCaseCtx() ctx: UseCaseContext, @Args('input', { type: () => SubmitInvoiceInput }) input: SubmitInvoiceInput): Promise<InvoiceModel> {
    return toInvoiceModel(await this.submitInvoiceUseCase.execute(ctx, input));
  }

  @Mutation(() => InvoiceModel, { description: 'Pays through the payment provider; safe to retry with the same idempotencyKey.' })
  @Authenticated()
  async approveInvoice(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('invoiceId', { type: () => ID }) invoiceId: string,
    @Args('idempotencyKey') idempotencyKey: string,
  ): Promise<InvoiceModel> {
    return toInvoiceModel(await this.approveInvoiceUseCase.execute(ctx, { invoiceId, idempotencyKey }));
  }

  @ResolveField(() => ContractRef)
  contract(@Parent() invoice: InvoiceModel): ContractRef {
    return contractRef(invoice.contractId);
  }
}
