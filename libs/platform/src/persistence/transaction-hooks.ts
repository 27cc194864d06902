import { EventSubscriber, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';

const CALLBACKS = 'talent:afterCommit';
const DEFERRED = 'talent:beforeCommit';

type Callback = () => void | Promise<void>;
type DeferredWork = (tx: EntityManager) => Promise<void>;

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

/**
 * Defers database work to just before the transaction commits, once per `key`: a use case that
 * gathers many small changes in one transaction (a consumer applying a batch of events) writes
 * them in a few set-based statements at the end, instead of a round trip each. A failure of
 * the work fails the commit, so the transaction rolls back whole. Anything that must read what
 * the deferred work would write calls `flushDeferred` first.
 */
export function deferUntilCommit(tx: EntityManager, key: string, work: DeferredWork): void {
  const runner = tx.queryRunner;
  if (!runner?.isTransactionActive) throw new Error(`deferUntilCommit(${key}) must run inside a transaction`);
  const data = runner.data as Record<string, Map<string, DeferredWork> | undefined>;
  const deferred = (data[DEFERRED] ??= new Map());
  if (!deferred.has(key)) deferred.set(key, work);
}

/** Runs the work deferred in this transaction now (each piece once), e.g. before reading what it writes. */
export async function flushDeferred(tx: EntityManager): Promise<void> {
  const runner = tx.queryRunner;
  const deferred = (runner?.data as Record<string, Map<string, DeferredWork> | undefined> | undefined)?.[DEFERRED];
  while (deferred?.size) {
    const [key, work] = deferred.entries().next().value as [string, DeferredWork];
    deferred.delete(key); // work may defer more (under the same key, too): it runs in a later turn of the loop
    await work(runner!.manager);
  }
}

/** Registered on every service's DataSource (see dataSourceOptions): runs deferred work before commit, and `afterCommit` callbacks after it. */
@EventSubscriber()
export class TransactionHooksSubscriber implements EntitySubscriberInterface {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    await flushDeferred(event.queryRunner.manager);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, Callback[] | undefined>;
    const callbacks = data[CALLBACKS] ?? [];
    delete data[CALLBACKS];
    for (const callback of callbacks) void Promise.resolve().then(callback);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    delete data[CALLBACKS];
    delete data[DEFERRED];
  }
}
