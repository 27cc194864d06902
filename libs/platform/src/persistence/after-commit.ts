import { EventSubscriber, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';

const CALLBACKS = 'talent:afterCommit';

type Callback = () => void | Promise<void>;

/**
 * Runs `callback` once the transaction `tx` belongs to has committed, and never if it rolls back:
 * for work outside the database that must only follow a durable change (e.g. queueing a job
 * that reads the rows just written). Errors of the callback are the callback's to handle; it
 * must not be the only way the work happens (a sweep should catch what a crash loses).
 * Outside a transaction (no query runner in one), it runs at once.
 */
export function afterCommit(tx: EntityManager, callback: Callback): void {
  const runner = tx.queryRunner;
  if (!runner?.isTransactionActive) {
    void Promise.resolve().then(callback);
    return;
  }
  const data = runner.data as Record<string, Callback[] | undefined>;
  (data[CALLBACKS] ??= []).push(callback);
}

/** Registered on every service's DataSource (see dataSourceOptions): fires `afterCommit` callbacks. */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, Callback[] | undefined>;
    const callbacks = data[CALLBACKS] ?? [];
    delete data[CALLBACKS];
    for (const callback of callbacks) void Promise.resolve().then(callback);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete (event.queryRunner.data as Record<string, unknown>)[CALLBACKS];
  }
}
