import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { callerOf, type UseCase, type UseCaseContext } from '@talent/platform';
import { assertAdmin } from './admin-only';
import { PartnerNodesStore, type PartnerNodeRow } from './partner-nodes.store';

/** Use case: every partner node, newest first (ADMIN). */
@Injectable()
export class ListPartnerNodes implements UseCase<void, PartnerNodeRow[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nodes: PartnerNodesStore,
  ) {}

  async execute(ctx: UseCaseContext): Promise<PartnerNodeRow[]> {
    assertAdmin(callerOf(ctx));
    return this.nodes.list(ctx.tx ?? this.dataSource.manager);
  }
}
