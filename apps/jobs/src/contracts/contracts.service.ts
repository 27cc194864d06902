import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError, hasRole, isUuid, type AuthUser } from '@talent/platform';
import { ContractRecord } from './contract.entity';

/** Reads of contracts (the use cases that change them: hire-applicant.ts, complete-contract.ts). */
@Injectable()
export class ContractsService {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string): Promise<ContractRecord | null> {
    return isUuid(id) ? this.dataSource.getRepository(ContractRecord).findOneBy({ id }) : Promise.resolve(null);
  }

  /** A contract for its talent, its client or an admin; FORBIDDEN for anyone else; null when unknown. */
  async findVisible(caller: AuthUser, id: string): Promise<ContractRecord | null> {
    const contract = await this.findById(id);
    if (contract && !isParty(caller, contract) && !hasRole(caller, 'ADMIN')) {
      throw new ForbiddenError("Only the contract's talent and client (and admins) may see it");
    }
    return contract;
  }

  /** The user's contracts, as talent or client, newest first. */
  forUser(userId: string): Promise<ContractRecord[]> {
    return this.dataSource.getRepository(ContractRecord).find({
      where: [{ talentId: userId }, { clientId: userId }],
      order: { startedAt: 'DESC', id: 'DESC' },
    });
  }
}

export const isParty = (caller: AuthUser, contract: ContractRecord): boolean => caller.id === contract.talentId || caller.id === contract.clientId;
