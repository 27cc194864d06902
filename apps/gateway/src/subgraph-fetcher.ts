import http, { STATUS_CODES } from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

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

export interface SubgraphAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * The connection pools behind keepAliveFetcher, one per scheme: connections are kept alive
 * between requests, and an idle one closes after 60 s, before a subgraph's own keep-alive
 * (65 s) would close it under a request.
 */
export const subgraphAgents = (): SubgraphAgents => ({
  http: new http.Agent({ keepAlive: true, timeout: 60_000 }),
  https: new https.Agent({ keepAlive: true, timeout: 60_000 }),
});

/**
 * Subgraph requests over kept-alive connections, instead of Apollo's default fetcher, which
 * pays a connection and its latency per request. Node's own HTTP client rather than undici:
 * undici (7.x) writes a request on a reused connection only after a full turn of the event
 * loop (its check that an idle socket received nothing unasked), so under load every subgraph
 * call waited behind all the client requests queued meanwhile (about 4 ms a call, measured in
 * `bench:gateway`). Node's client writes it as soon as the current tick ends. The body comes
 * back whole, without WHATWG streams.
 */
export function keepAliveFetcher(agents: SubgraphAgents): Fetcher {
  const targets = new Map<string, URL>();
  return (url, init) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      let target = targets.get(url);
      if (!target) targets.set(url, (target = new URL(url)));
      const secure = target.protocol === 'https:';
      // Sent with end(body) in one piece, the body's Content-Length is set by Node itself.
      const headers = init?.headers as Record<string, string> | undefined;
      const options = { method: init?.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, signal: init?.signal ?? undefined };
      const request = (secure ? https : http).request(target, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        // A connection lost mid-body ends the response without 'end': a failed fetch, as any other.
        response.on('close', () => {
          if (!response.complete) reject(new Error(`${target.origin}: the connection closed before the response ended`));
        });
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
          }
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(asFetcherResponse(new SubgraphResponse(url, status, response.statusMessage ?? STATUS_CODES[status] ?? '', responseHeaders, text)));
        });
      });
      request.on('error', reject);
      request.end(init?.body as string | undefined);
    });
}

interface SharedResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

/**
 * Sends identical subgraph reads in flight at the same moment once: same URL, same caller
 * (authorization header) and same body (operation and variables). Every waiting request gets a
 * Response of its own and parses the body itself, so no result object is shared between requests
 * (the gateway merges subgraph results into its answer). The response headers, which only the
 * caller's own requests see and nothing writes, are one object. Only reads: a subgraph mutation
 * is sent each time.
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
          headers: response.headers as unknown as Headers,
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
    return asFetcherResponse(new SubgraphResponse(url, status, statusText, responseHeaders, text));
  };
}
