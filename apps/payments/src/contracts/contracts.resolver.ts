import { Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CurrentUser, isUuid, type AuthUser } from '@talent/platform';
import { toInvoiceModel } from '../invoices/invoice.mapper';
import { InvoiceModel } from '../invoices/invoice.model';
import { InvoicesReader } from '../invoices/invoices.reader';
import { ContractRef, contractRef } from './contract.model';

/** Payments' part of `Contract`: its invoices. */
@Resolver(() => ContractRef)
export class ContractsResolver {
  constructor(private readonly invoicesReader: InvoicesReader) {}

  /** Lookup by key (`_entities`). A key only, nothing read: `invoices` checks the caller itself (the contract's parties and admins). */
  @ResolveReference()
  resolveReference(ref: { __typename: 'Contract'; id: string }): ContractRef | null {
    return isUuid(ref.id) ? contractRef(ref.id) : null;
  }

  /** Field guards do not run on field resolvers, hence the check in forContract. */
  @ResolveField(() => [InvoiceModel], {
    description: "The contract's invoices, oldest first: for its talent and client and admins; an empty list for anyone else (anonymous callers included).",
  })
  async invoices(@Parent() contract: ContractRef, @CurrentUser() caller: AuthUser | null): Promise<InvoiceModel[]> {
    return (await this.invoicesReader.forContract(caller, contract.id)).map(toInvoiceModel);
  }
}
