import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@talent/platform';
import { WithdrawalRecord } from './withdrawal.entity';

@Injectable()
export class WithdrawalsReader {
  constructor(private readonly dataSource: DataSource) {}

  /** The caller's withdrawals, newest first. */
  mine(caller: AuthUser): Promise<WithdrawalRecord[]> {
    return this.dataSource.getRepository(WithdrawalRecord).find({
      where: { userId: caller.id.toLowerCase() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 200,
    });
  }
}
