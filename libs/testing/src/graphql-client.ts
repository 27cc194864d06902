export interface GraphQLResponse<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }>;
  status: number;
}

/** Extra headers computed from the exact body sent (e.g. the gateway's signature, for a client of a subgraph). */
export type RequestSigner = (body: string) => Record<string, string>;

/** A minimal GraphQL-over-HTTP client, as a frontend would call the API. */
export class GraphQLClient {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string> = {},
    private readonly signer?: RequestSigner,
  ) {}

  withToken(token: string | undefined): GraphQLClient {
    const headers = { ...this.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    else delete headers.authorization;
    return new GraphQLClient(this.url, headers, this.signer);
  }

  withHeaders(headers: Record<string, string>): GraphQLClient {
    return new GraphQLClient(this.url, { ...this.headers, ...headers }, this.signer);
  }

  async request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const payload = JSON.stringify({ query, variables });
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers, ...this.signer?.(payload) },
      body: payload,
    });
    const text = await res.text();
    let body: Omit<GraphQLResponse<T>, 'status'>;
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: text }] };
    }
    return { ...body, status: res.status };
  }

  /** Like `request`, but throws when the response has errors; returns `data`. */
  async data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  }
}

/** The `extensions.code` of the first error, for assertions. */
export const errorCode = (res: GraphQLResponse): string | undefined => res.errors?.[0]?.extensions?.code as string | undefined;
