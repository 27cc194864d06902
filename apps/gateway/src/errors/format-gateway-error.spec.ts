import { GraphQLError } from 'graphql';
import { createGatewayErrorFormatter } from './format-gateway-error';

const logged: unknown[] = [];
const format = createGatewayErrorFormatter({ error: (...args: unknown[]) => logged.push(args) } as never);
const INTERNAL = { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

beforeEach(() => (logged.length = 0));

describe('gateway error formatter', () => {
  it('keeps a subgraph domain error with its code and safe details, without naming the subgraph', () => {
    const formatted = format(
      { message: 'Too many attempts', path: ['login'], extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30, serviceName: 'identity' } },
      new GraphQLError('Too many attempts'),
    );
    expect(formatted).toEqual({ message: 'Too many attempts', path: ['login'], extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 30 } });
    expect(logged).toEqual([]);
  });

  it("keeps the gateway's own refusals of malformed operations", () => {
    const formatted = format(
      { message: 'Cannot query field "salary" on type "User".', locations: [{ line: 1, column: 8 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      undefined,
    );
    expect(formatted).toMatchObject({ message: 'Cannot query field "salary" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('hides a subgraph that is down: no host, port or URL, the detail logged', () => {
    const cause = new Error('request to http://jobs.internal:4002/graphql failed, reason: connect ECONNREFUSED 10.0.0.7:4002');
    const formatted = format({ message: cause.message, path: ['contract'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, cause);
    expect(formatted).toEqual({ ...INTERNAL, path: ['contract'] });
    expect(JSON.stringify(logged)).toContain('ECONNREFUSED');
  });

  it('hides a subgraph refusing the gateway over HTTP (e.g. a wrong GATEWAY_SECRET), whatever code Apollo derived', () => {
    const formatted = format(
      { message: '401: Unauthorized', extensions: { code: 'UNAUTHENTICATED', response: { url: 'http://10.0.0.7:4002/graphql', status: 401 } } },
      new GraphQLError('401: Unauthorized'),
    );
    expect(formatted).toEqual({ ...INTERNAL, path: undefined });
  });

  it('hides unknown codes, errors without a code, and a subgraph failing to parse what the gateway planned', () => {
    for (const extensions of [{ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'rewards' }, {}, { code: 'GRAPHQL_VALIDATION_FAILED', serviceName: 'jobs' }]) {
      expect(format({ message: 'Cannot query field "x" on type "Query"', extensions }, undefined)).toEqual({ ...INTERNAL, path: undefined });
    }
    expect(logged).toHaveLength(3);
  });
});
