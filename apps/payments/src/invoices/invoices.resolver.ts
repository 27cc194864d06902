import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentUser, RequestMeta, type AuthUser } from '@talent/platform';
import { ContractRef, contractRef } from '../contracts/contract.model';
import { toInvoiceModel } from './invoice.mapper';
import { InvoiceModel, SubmitInvoiceInput } from './invoice.model';
import { InvoicesService } from './invoices.service';

@Resolver(() => InvoiceModel)
export class InvoicesResolver {
  constructor(private readonly invoices: InvoicesService) {}

  @Query(() => InvoiceModel, { nullable: true, description: "Visible to the contract's talent and client and admins; null for an unknown id." })
  @Authenticated()
  async invoice(@CurrentUser() caller: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<InvoiceModel | null> {
    const invoice = await this.invoices.findVisible(caller, id);
    return invoice ? toInvoiceModel(invoice) : null;
  }

  @Mutation(() => InvoiceModel, { description: "The contract's talent invoices an ACTIVE or COMPLETED contract." })
  @Authenticated()
  async submitInvoice(
    @CurrentUser() caller: AuthUser,
    @Args('input', { type: () => SubmitInvoiceInput }) input: SubmitInvoiceInput,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<InvoiceModel> {
    return toInvoiceModel(await this.invoices.submit(caller, input, meta.traceparent));
  }

  @Mutation(() => InvoiceModel, { description: 'Pays through the payment provider; safe to retry with the same idempotencyKey.' })
  @Authenticated()
  async approveInvoice(
    @CurrentUser() caller: AuthUser,
    @Args('invoiceId', { type: () => ID }) invoiceId: string,
    @Args('idempotencyKey') idempotencyKey: string,
    @RequestMeta() meta: { traceparent?: string },
  ): Promise<InvoiceModel> {
    return toInvoiceModel(await this.invoices.approve(caller, invoiceId, idempotencyKey, meta.traceparent));
  }

  @ResolveField(() => ContractRef)
  contract(@Parent() invoice: InvoiceModel): ContractRef {
    return contractRef(invoice.contractId);
  }
}
