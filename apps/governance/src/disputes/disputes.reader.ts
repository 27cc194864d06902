import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { callerOf, ForbiddenError, hasRole, isUuid, type UseCaseContext } from '@talent/platform';
import { currentSeats, findDispute, type DisputeRecord } from './dispute.records';
import { DisputeDecisionEnum, DisputeModel, DisputeStatusEnum } from './dispute.model';

/** What `Query.dispute` and the mutations answer: the dispute and its jurors seated now. */
@Injectable()
export class DisputesReader {
  constructor(private readonly dataSource: DataSource) {}

  /** A dispute for its parties, its jurors seated now and admins; FORBIDDEN for anyone else; null when unknown. */
  async findVisible(ctx: UseCaseContext, id: string): Promise<DisputeModel | null> {
    const caller = callerOf(ctx);
    if (!isUuid(id)) return null;
    const dispute = await findDispute(this.dataSource.manager, id.toLowerCase());
    if (!dispute) return null;
    const model = await this.toModel(dispute);
    const me = caller.id.toLowerCase();
    if (me !== dispute.talentId && me !== dispute.clientId && !model.jurorIds.includes(me) && !hasRole(caller, 'ADMIN')) {
      throw new ForbiddenError("Only the dispute's parties, its jurors and admins may see it");
    }
    return model;
  }

  async toModel(dispute: DisputeRecord): Promise<DisputeModel> {
    const seats = await currentSeats(this.dataSource.manager, dispute.id);
    return Object.assign(new DisputeModel(), {
      id: dispute.id,
      contractId: dispute.contractId,
      openedById: dispute.openedBy,
      reason: dispute.reason,
      status: dispute.status as DisputeStatusEnum,
      jurorIds: seats.map((s) => s.jurorId),
      outcome: dispute.outcome as DisputeDecisionEnum | null,
      createdAt: dispute.createdAt,
      resolvedAt: dispute.resolvedAt,
    });
  }
}
