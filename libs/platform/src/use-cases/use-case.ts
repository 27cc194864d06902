import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { inTransaction } from '../persistence';

/**
 * What a use case runs with: who asks, the trace it continues, and the transaction to join when
 * its caller already has one (an event handler's, which holds the inbox row: the use case's writes
 * and the inbox commit together or not at all).
 */
export interface UseCaseContext {
  /** The signed-in user; null for the system (an event handler, a scheduled job), which no request can claim to be. */
  readonly caller: AuthUser | null;
  /** The W3C trace context to continue (put on the events the use case publishes). */
  readonly traceparent?: string;
  /** The client's address, for use cases throttled per address (sign-up, sign-in); absent for the system. */
  readonly clientIp?: string;
  /** The caller's transaction. Absent: the use case opens its own. */
  readonly tx?: EntityManager;
}

/**
 * The one shape of a use case: a class named VerbNoun, `execute(ctx, command)`. The command is
 * checked by the class's zod schema at its boundary (`parseCommand`, first thing in `execute`)
 * whoever calls (a resolver, an event handler, a job, a test), and authorization happens inside
 * `execute`, so no path skips either. Resolvers and handlers stay one call deep.
 */
export interface UseCase<Command, Result> {
  execute(ctx: UseCaseContext, command: Command): Promise<Result>;
}

/** The context of the system itself: an event handler (in its inbox transaction) or a scheduled job. */
export function systemContext(options: { tx?: EntityManager; traceparent?: string } = {}): UseCaseContext {
  return { caller: null, ...options };
}

/**
 * For use cases only the system runs (a job acting on what a provider answered): a signed-in caller
 * is refused, should a path ever reach one from a request.
 */
export function assertSystem(ctx: UseCaseContext, useCase: string): void {
  if (ctx.caller) throw new ForbiddenError(`${useCase} is run by the system only`);
}

/** The caller, or UNAUTHENTICATED: for use cases only a signed-in user may run. */
export function callerOf(ctx: UseCaseContext): AuthUser {
  if (!ctx.caller) throw new UnauthenticatedError();
  return ctx.caller;
}

/**
 * Runs `work` in the caller's transaction when the context carries one (its isolation level
 * then stays the caller's), else in a new one (`inTransaction`, with its retries).
 */
export function inUseCaseTransaction<T>(
  ctx: UseCaseContext,
  dataSource: DataSource,
  work: (tx: EntityManager) => Promise<T>,
  options?: Parameters<typeof inTransaction>[2],
): Promise<T> {
  return ctx.tx ? work(ctx.tx) : inTransaction(dataSource, work, options);
}

/**
 * For a use case whose outside work must follow its commit (it queues a job, calls a provider,
 * revokes tokens once the change is committed): refuses to join a caller's transaction, which
 * would commit only after that work ran.
 */
export function assertOwnTransaction(ctx: UseCaseContext, useCase: string): void {
  if (ctx.tx) throw new Error(`${useCase} commits its own transaction before its outside work: it cannot join the caller's`);
}
