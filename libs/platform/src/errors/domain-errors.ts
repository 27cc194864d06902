/**
 * Domain errors carry the contract's `extensions.code`. Use cases throw these; the
 * GraphQL error formatter maps them, and hides everything else behind INTERNAL_SERVER_ERROR.
 */
export type ErrorCode =
  'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'INSUFFICIENT_FUNDS' | 'RATE_LIMITED';

export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    /** Extra, safe-to-show fields for `extensions` (e.g. `field`, `retryAfterSeconds`). */
    public readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message);
  }
}
export class BadUserInputError extends DomainError {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : {});
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
export class PreconditionFailedError extends DomainError {
  constructor(message: string) {
    super('PRECONDITION_FAILED', message);
  }
}
export class InsufficientFundsError extends DomainError {
  constructor(message = 'Insufficient funds') {
    super('INSUFFICIENT_FUNDS', message);
  }
}
export class RateLimitedError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
  }
}
