import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { HttpException } from '@nestjs/common';
import type { Logger } from 'pino';
import { redactDeep, serializeError } from '../logging/redaction';
import { DomainError } from './domain-errors';

/** Codes that graphql-js and Apollo produce themselves for malformed operations: safe to pass on. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

const HTTP_STATUS_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  429: 'RATE_LIMITED',
};

/**
 * One place where errors become what a client sees: domain errors keep their code and
 * message, validation errors become BAD_USER_INPUT with the offending messages, and
 * anything unexpected becomes a bare INTERNAL_SERVER_ERROR (logged here without the values it
 * carried, never returned: no stack traces, no SQL).
 */
export function createGraphQLErrorFormatter(logger: Pick<Logger, 'error'>) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

    if (original instanceof DomainError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
    }
    if (original instanceof HttpException) {
      const status = original.getStatus();
      const response = original.getResponse();
      const messages =
        typeof response === 'object' && response !== null && 'message' in response ? (response as { message: unknown }).message : original.message;
      const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
      const code = HTTP_STATUS_CODES[status];
      if (code) {
        return { ...base, message: list.join('; '), extensions: { code, ...(list.length > 1 ? { problems: list } : {}) } };
      }
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
      return { ...base, extensions: { code } };
    }
    // Logged by type, message, stack and what failed (SQLSTATE, constraint, table): never a driver's
    // `detail` (the row's values), `parameters` or `query`, whatever logger this is.
    const err = original instanceof Error ? serializeError(original) : redactDeep(original);
    logger.error({ err, path: formatted.path }, 'unhandled error in GraphQL operation');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
