import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { inTransaction, ROOT_LOGGER } from '@talent/platform';
import { SystemAccounts } from '../ledger/accounts';
import { sumUnits, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { ALLOCATIONS, TOKEN_CAP } from './token-economy';

export const GENESIS_KEY = 'genesis';
/** Serialises genesis across replicas starting together (the unique idempotency key is the backstop). */
const GENESIS_LOCK = 7305_0501;

/**
 * Mints the cap into the allocation accounts, once, at the first start. Runs at module
 * init (after migrations, before any onApplicationBootstrap hook): the event consumer
 * never pays a reward from a pool that was not minted yet.
 */
@Injectable()
export class GenesisService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.ensureGenesis();
  }

  /** True when this call minted; false when genesis had already happened. */
  ensureGenesis(): Promise<boolean> {
    return inTransaction(this.dataSource, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [GENESIS_LOCK]);
      if (await this.ledger.journalExists(tx, GENESIS_KEY)) return false;
      await this.mint(tx);
      this.logger.info({ cap: TOKEN_CAP, allocations: ALLOCATIONS.map((a) => ({ bucket: a.bucket, amount: a.amount })) }, 'genesis minted');
      return true;
    });
  }

  private async mint(tx: EntityManager): Promise<void> {
    const cap = toUnits(TOKEN_CAP);
    const allocated = sumUnits(ALLOCATIONS.map((a) => toUnits(a.amount)));
    if (allocated !== cap) throw new Error(`allocations (${allocated}) do not add up to the cap`);
    await this.ledger.post(tx, {
      kind: 'GENESIS',
      reason: 'genesis',
      reference: GENESIS_KEY,
      idempotencyKey: GENESIS_KEY,
      postings: [{ accountId: SystemAccounts.genesis.id, amount: -cap }, ...ALLOCATIONS.map((a) => ({ accountId: a.account.id, amount: toUnits(a.amount) }))],
    });
  }
}
