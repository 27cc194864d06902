import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent, type Dispatcher } from 'undici';

export type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/**
 * What Apollo's data source reads of a fetch Response (status, headers, the body as text or
 * JSON), over a body already read whole: no WHATWG stream per subgraph response.
 */
class SubgraphResponse {
  readonly redirected = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly body: string,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.body;
  }

  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return new TextEncoder().encode(this.body).buffer as ArrayBuffer;
  }

  clone(): SubgraphResponse {
    return new SubgraphResponse(this.url, this.status, this.statusText, this.headers, this.body);
  }
}

const asFetcherResponse = (response: SubgraphResponse): FetcherResponse => response as unknown as FetcherResponse;

/**
 * Subgraph requests over kept-alive connections (one undici pool per subgraph origin), instead
 * of Apollo's default fetcher, which pays a connection and its latency per request. undici's
 * `request`, not its `fetch`: the body goes out in one write and comes back without streams.
 */
export function keepAliveFetcher(agent: Agent): Fetcher {
  const targets = new Map<string, URL>();
  return async (url, init) => {
    let target = targets.get(url);
    if (!target) targets.set(url, (target = new URL(url)));
    const response = await agent.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init?.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init?.headers,
      body: init?.body,
      signal: init?.signal,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const one of [value ?? []].flat()) headers.append(name, one);
    }
    const body = await response.body.text();
    return asFetcherResponse(new SubgraphResponse(url, response.statusCode, STATUS_CODES[response.statusCode] ?? '', headers, body));
  };
}

/** The pool behind keepAliveFetcher: idle connections close before the subgraph's own keep-alive (65 s) would. */
export const subgraphAgent = (): Agent => new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });

interface SharedResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * Sends identical subgraph reads in flight at the same moment once: same URL, same caller
 * (authorization header) and same body (operation and variables). Every waiting request gets a
 * Response of its own, parsed separately, so no object is shared between requests. Only reads:
 * a subgraph mutation is sent each time.
 */
export function dedupingFetcher(send: Fetcher): Fetcher {
  const inFlight = new Map<string, Promise<SharedResponse>>();
  return async (url, init) => {
    const body = typeof init?.body === 'string' ? init.body : undefined;
    // Apollo sends JSON.stringify({ query, ... }) with the planner's operation text first.
    if (!body?.startsWith('{"query":"query')) return send(url, init);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const key = `${url}\n${headers.authorization ?? ''}\n${body}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = (async () => {
        const response = await send(url, init);
        return {
          status: response.status,
          statusText: response.statusText,
          headers: [...(response.headers as unknown as Iterable<[string, string]>)],
          body: await response.text(),
        };
      })();
      inFlight.set(key, shared);
      // Removed once settled: a later identical request is a new read.
      void shared.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
    }
    const { status, statusText, headers: responseHeaders, body: text } = await shared;
    return asFetcherResponse(new SubgraphResponse(url, status, statusText, new Headers(responseHeaders), text));
  };
}
