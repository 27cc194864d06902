import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError, hasRole, isUuid, type AuthUser } from '@talent/platform';
import { ContractRecord } from '../contracts/contract.entity';
import { InvoiceRecord } from './invoice.entity';

/** Invoices as their readers may see them: the contract's talent and client, and admins. */
@Injectable()
export class InvoicesReader {
  constructor(private readonly dataSource: DataSource) {}

  /** An invoice for its contract's talent and client and admins; FORBIDDEN for others; null when unknown. */
  async visibleTo(caller: AuthUser, id: string): Promise<InvoiceRecord | null> {
    if (!isUuid(id)) return null;
    const invoice = await this.dataSource.getRepository(InvoiceRecord).findOneBy({ id });
    if (invoice && caller.id !== invoice.talentId && caller.id !== invoice.clientId && !hasRole(caller, 'ADMIN')) {
      throw new ForbiddenError("Only the contract's talent and client (and admins) may see its invoices");
    }
    return invoice;
  }

  /**
   * Contract.invoices: oldest first, for the contract's talent and client and admins; none for
   * anyone else (anonymous callers included): an empty list rather than an error, so that a
   * list of contracts asking for invoices still reaches everyone.
   */
  async forContract(caller: AuthUser | null, contractId: string): Promise<InvoiceRecord[]> {
    if (!caller || !isUuid(contractId)) return [];
    const contract = await this.dataSource.getRepository(ContractRecord).findOneBy({ id: contractId });
    // Unknown here (not yet projected): it has no invoices, since submitting needs the projection.
    if (!contract) return [];
    if (caller.id !== contract.talentId && caller.id !== contract.clientId && !hasRole(caller, 'ADMIN')) return [];
    return this.dataSource.getRepository(InvoiceRecord).find({ where: { contractId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
