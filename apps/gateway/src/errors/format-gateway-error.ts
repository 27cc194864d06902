import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { loggableError } from '@talent/platform';

/** The contract's codes: decisions about the caller, by a subgraph or the gateway, safe to show as they are. */
const CONTRACT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'INSUFFICIENT_FUNDS',
  'RATE_LIMITED',
]);

/** Malformed operations the gateway refuses itself before planning: the client's own mistake, safe to explain. */
const OPERATION_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Extensions that describe the deployment (which subgraph, where, how it failed), never the caller. */
const INTERNAL_EXTENSIONS = new Set(['serviceName', 'response', 'http', 'exception', 'stacktrace']);

/**
 * What a client sees of an error at the edge. Contract codes keep their message and safe
 * details (`retryAfterSeconds`, `field`, ...); operations the gateway refused keep theirs.
 * Everything else (a subgraph down or refusing the gateway, a network error naming a host
 * and port, a subgraph that failed to parse what the gateway planned, an unknown code)
 * becomes a bare INTERNAL_SERVER_ERROR, and the detail goes to the gateway's log.
 */
export function createGatewayErrorFormatter(logger: Pick<Logger, 'error'>) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    const code = typeof extensions.code === 'string' ? extensions.code : undefined;
    const fromSubgraph = 'serviceName' in extensions;
    // A subgraph that answered with an HTTP error status (e.g. 401 to a badly signed request) is the
    // deployment's failure, whatever code Apollo derived from the status.
    const transportFailure = 'response' in extensions;
    const shown = code !== undefined && !transportFailure && (CONTRACT_CODES.has(code) || (!fromSubgraph && OPERATION_CODES.has(code)));
    if (shown) {
      const safe = Object.fromEntries(Object.entries(extensions).filter(([key]) => !INTERNAL_EXTENSIONS.has(key)));
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: safe };
    }
    logger.error(
      { err: loggableError(error), code, subgraph: extensions.serviceName, message: formatted.message, path: formatted.path },
      'error hidden from the client (INTERNAL_SERVER_ERROR)',
    );
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
