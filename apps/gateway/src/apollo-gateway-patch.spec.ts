import { parse as legacyUrlParse } from 'node:url';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import executeQueryPlanModule = require('@apollo/gateway/dist/executeQueryPlan');
import { expressMiddleware } from '@as-integrations/express5';
// The copy @apollo/gateway itself loads (its own dependency).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFetch = require(require.resolve('node-fetch', { paths: [require.resolve('@apollo/gateway')] })) as { Request: new (...args: unknown[]) => unknown };

// @apollo/gateway as patched at install (patches/@apollo+gateway+2.14.4.patch): a subgraph call
// builds node-fetch's Request only for a hook that can see it. These fail if the patch is not applied.
describe('@apollo/gateway RemoteGraphQLDataSource, patched', () => {
  const request = { query: '{ me { id } }', http: { method: 'POST', url: 'http://identity.test/graphql', headers: new Headers() } };
  const ok = async () => new Response(JSON.stringify({ data: { me: null } }), { headers: { 'content-type': 'application/json' } });

  it('is the patched version (bump the patch with @apollo/gateway)', () => {
    expect(String((RemoteGraphQLDataSource.prototype as unknown as Record<string, unknown>).sendRequest)).toContain('requestForHooks');
  });

  it('still hands the request to didEncounterError, with its URL and headers', async () => {
    const seen: Array<{ url: string; type: string | null }> = [];
    const source = new (class extends RemoteGraphQLDataSource {
      override didEncounterError(error: Error, fetchRequest: { url: string; headers: { get(name: string): string | null } }): void {
        seen.push({ url: fetchRequest.url, type: fetchRequest.headers.get('content-type') });
        throw error;
      }
    })({ url: 'http://identity.test/graphql', fetcher: (async () => new Response('down', { status: 503, statusText: 'Service Unavailable' })) as never });
    await expect(source.process({ kind: 'HEALTH_CHECK', request, context: {} } as never)).rejects.toThrow('503');
    expect(seen).toEqual([{ url: 'http://identity.test/graphql', type: 'application/json' }]);
  });

  it('hands it to an overridden parseBody, and answers without building it otherwise', async () => {
    const parsedWith: unknown[] = [];
    const overridden = new (class extends RemoteGraphQLDataSource {
      override parseBody(response: Parameters<RemoteGraphQLDataSource['parseBody']>[0], fetchRequest?: { url: string }): Promise<object | string> {
        parsedWith.push(fetchRequest?.url);
        return super.parseBody(response);
      }
    })({ url: 'http://identity.test/graphql', fetcher: ok as never });
    await expect(overridden.process({ kind: 'HEALTH_CHECK', request: { ...request }, context: {} } as never)).resolves.toMatchObject({ data: { me: null } });
    expect(parsedWith).toEqual(['http://identity.test/graphql']);
    const built = jest.spyOn(nodeFetch, 'Request');
    try {
      const plain = new RemoteGraphQLDataSource({ url: 'http://identity.test/graphql', fetcher: ok as never });
      await expect(plain.process({ kind: 'HEALTH_CHECK', request: { ...request }, context: {} } as never)).resolves.toMatchObject({ data: { me: null } });
      expect(built).not.toHaveBeenCalled();
    } finally {
      built.mockRestore();
    }
  });
});

describe('@apollo/gateway RemoteGraphQLDataSource headers, patched', () => {
  const request = { query: '{ me { id } }', http: { method: 'POST', url: 'http://identity.test/graphql', headers: new Headers() } };
  const ok = async () => new Response(JSON.stringify({ data: { me: null } }), { headers: { 'content-type': 'application/json' } });

  it("hands the fetcher the request's headers as node-fetch's iterator gives them: names lower-cased, repeated values joined", async () => {
    const sent: Array<Record<string, string>> = [];
    const source = new (class extends RemoteGraphQLDataSource {
      override willSendRequest({
        request,
      }: {
        request: { http?: { headers: { set(n: string, v: string): void; append(n: string, v: string): void } } };
      }): void {
        request.http!.headers.set('Authorization', 'Bearer t');
        request.http!.headers.set('x-request-id', 'r-1');
        request.http!.headers.append('X-Forwarded-For', '10.0.0.1');
        request.http!.headers.append('x-forwarded-for', '10.0.0.2');
      }
    })({
      url: 'http://identity.test/graphql',
      fetcher: (async (_url: string, init: { headers: Record<string, string> }) => {
        sent.push(init.headers);
        return ok();
      }) as never,
    });
    await source.process({ kind: 'HEALTH_CHECK', request: { ...request }, context: {} } as never);
    expect(sent).toEqual([{ authorization: 'Bearer t', 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1, 10.0.0.2', 'x-request-id': 'r-1' }]);
    expect(Object.keys(sent[0])).toEqual(['authorization', 'content-type', 'x-forwarded-for', 'x-request-id']);
    expect(String((RemoteGraphQLDataSource.prototype as unknown as Record<string, unknown>).sendRequest)).toContain('headersObjectOf(http.headers)');
  });
});

describe('@apollo/gateway executeQueryPlan, patched', () => {
  it('builds the Operation that shapes a response once per document and schema (bump the patch with @apollo/gateway)', () => {
    expect(String(executeQueryPlanModule.executeQueryPlan)).toContain('operationOf(apiSchema, operationContext)');
  });
});

// @as-integrations/express5 as patched at install (patches/@as-integrations+express5+1.1.2.patch):
// the query string is cut from the URL without the legacy url.parse, to the same result.
describe('@as-integrations/express5, patched', () => {
  it.each(['/graphql', '/graphql?', '/graphql?query=%7Bme%7Bid%7D%7D&operationName=Me', '/graphql?a=1#part', '/graphql#part?b=2', '/?x=%3F%23'])(
    'hands Apollo the query string of %s as url.parse did',
    async (url) => {
      const seen: string[] = [];
      const server = {
        assertStarted: () => undefined,
        executeHTTPGraphQLRequest: async ({ httpGraphQLRequest }: { httpGraphQLRequest: { search: string } }) => {
          seen.push(httpGraphQLRequest.search);
          return { status: 200, headers: new Map(), body: { kind: 'complete', string: '{}' } };
        },
      };
      const res = { setHeader: () => undefined, send: () => undefined, statusCode: 0 };
      await expressMiddleware(server as never)({ method: 'get', url, headers: {}, body: {} } as never, res as never, () => undefined);
      expect(seen).toEqual([legacyUrlParse(url).search ?? '']);
    },
  );
});
