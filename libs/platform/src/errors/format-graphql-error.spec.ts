import { BadRequestException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  BadUserInputError,
  ConflictError,
  DomainError,
  ForbiddenError,
  InsufficientFundsError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthenticatedError,
} from './domain-errors';
import { createGraphQLErrorFormatter } from './format-graphql-error';

/** What Apollo hands the formatter: the error wrapped by graphql-js at a resolver path, and its default formatting. */
function resolverError(original: Error): [GraphQLFormattedError, GraphQLError] {
  const wrapped = new GraphQLError(original.message, {
    originalError: original,
    path: ['me', 'balance'],
    extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: original.stack?.split('\n') },
  });
  return [wrapped.toJSON(), wrapped];
}

const setup = () => {
  const logger = { error: jest.fn() };
  return { logger, format: createGraphQLErrorFormatter(logger) };
};

describe('createGraphQLErrorFormatter', () => {
  const domainErrors: Array<[DomainError, string, string, Record<string, unknown>]> = [
    [new UnauthenticatedError(), 'UNAUTHENTICATED', 'Authentication required', {}],
    [new ForbiddenError('Only admins'), 'FORBIDDEN', 'Only admins', {}],
    [new BadUserInputError('Rate must be positive', 'hourlyRate'), 'BAD_USER_INPUT', 'Rate must be positive', { field: 'hourlyRate' }],
    [new NotFoundError('Job'), 'NOT_FOUND', 'Job not found', {}],
    [new ConflictError('Already applied'), 'CONFLICT', 'Already applied', {}],
    [new PreconditionFailedError('KYC required'), 'PRECONDITION_FAILED', 'KYC required', {}],
    [new InsufficientFundsError(), 'INSUFFICIENT_FUNDS', 'Insufficient funds', {}],
    [new RateLimitedError('Too many attempts', 30), 'RATE_LIMITED', 'Too many attempts', { retryAfterSeconds: 30 }],
  ];

  it.each(domainErrors)('maps %p to its code, message and details', (error, code, message, details) => {
    const { format, logger } = setup();
    const result = format(...resolverError(error));
    expect(result).toEqual({ message, path: ['me', 'balance'], extensions: { code, ...details } });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('maps a domain error handed over unwrapped, too', () => {
    const { format } = setup();
    const error = new NotFoundError('Invoice');
    const result = format({ message: error.message }, error);
    expect(result.extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it("maps a Nest pipe's BadRequestException with several messages to BAD_USER_INPUT with every message", () => {
    const thrown = new BadRequestException(['email must be an email', 'displayName should not be empty']);
    const { format, logger } = setup();
    const result = format(...resolverError(thrown));

    expect(result.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.extensions?.problems).toEqual(['email must be an email', 'displayName should not be empty']);
    expect(result.message).toContain('email must be an email');
    expect(result.message).toContain('displayName should not be empty');
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('maps a single-message BadRequestException without a problems list', () => {
    const { format } = setup();
    const result = format(...resolverError(new BadRequestException('cursor is malformed')));
    expect(result).toEqual({ message: 'cursor is malformed', path: ['me', 'balance'], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR and logs its type, message and stack', () => {
    const sql = 'duplicate key value violates unique constraint "users_email_key" in INSERT INTO users (email) VALUES ($1)';
    const error = new Error(sql);
    const { format, logger } = setup();

    const result = format(...resolverError(error));

    expect(result).toEqual({ message: 'Internal server error', path: ['me', 'balance'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const shown = JSON.stringify(result);
    expect(shown).not.toContain('INSERT INTO');
    expect(shown).not.toContain('users_email_key');
    expect(shown).not.toContain('stacktrace');
    expect(shown).not.toContain('.ts:');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0][0]).toMatchObject({
      err: { type: 'Error', message: sql, stack: expect.stringContaining('format-graphql-error.spec') },
      path: ['me', 'balance'],
    });
  });

  it("logs a failed query by code, constraint and table, never with the driver's detail, parameters or query", () => {
    // What TypeORM throws: a QueryFailedError carrying the statement, its parameters and the driver's error fields.
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      code: '23505',
      constraint: 'users_email_key',
      table: 'users',
      schema: 'public',
      detail: 'Key (email)=(ada@example.org) already exists.',
    });
    class QueryFailedError extends Error {}
    const error = Object.assign(new QueryFailedError(driverError.message), {
      ...driverError,
      query: 'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
      parameters: ['ada@example.org', 'scrypt$32768$8$1$c2FsdA==$a2V5'],
      driverError,
    });
    const { format, logger } = setup();

    format(...resolverError(error));

    const logged = logger.error.mock.calls[0][0];
    expect(logged.err).toMatchObject({ type: 'QueryFailedError', code: '23505', constraint: 'users_email_key', table: 'users' });
    const line = JSON.stringify(logged);
    for (const leak of ['ada@example.org', 'scrypt$', 'Key (email)', 'INSERT INTO', '"parameters"', '"detail"', '"query"', '"driverError"']) {
      expect(line).not.toContain(leak);
    }
  });

  it("passes graphql-js's own request errors through with their message", () => {
    const { format, logger } = setup();
    const error = new GraphQLError('Cannot query field "salary" on type "User".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const result = format(error.toJSON(), error);
    expect(result).toMatchObject({ message: 'Cannot query field "salary" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(logger.error).not.toHaveBeenCalled();
  });
});
