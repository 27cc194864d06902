import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_SIGNATURE_HEADER, signGatewayRequest, tracingStarted } from '@talent/platform';
import type { GatewayContext } from './gateway-context';
import { dedupingFetcher, keepAliveFetcher, type SubgraphAgents } from './subgraph-fetcher';

/**
 * Forwards the caller to a subgraph: the access token only when the gateway verified it
 * (a bad or expired token reaches no subgraph), plus request id, trace context and
 * client address. Subgraphs verify the token again and decide what the caller may do.
 * With a gateway secret, each request is signed over the exact body sent, so subgraphs
 * answer only what came through here. With agents, requests go over their kept-alive
 * connections, and identical reads in flight from the same caller are sent once.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(config: { url: string; gatewaySecret?: string; agents?: SubgraphAgents }) {
    const { gatewaySecret, agents, ...rest } = config;
    super(rest);
    if (agents) this.fetcher = keepAliveFetcher(agents);
    if (gatewaySecret) {
      // The fetcher sees the body exactly as serialized, after willSendRequest: sign there.
      const send = this.fetcher;
      this.fetcher = (url, init) =>
        send(url, { ...init, headers: { ...init?.headers, [GATEWAY_SIGNATURE_HEADER]: signGatewayRequest(gatewaySecret, init?.body ?? '') } });
    }
    // Outermost: a request that joins one in flight is neither signed nor sent again.
    if (agents) this.fetcher = dedupingFetcher(this.fetcher);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context || !('requestId' in context)) return;
    if (context.user && context.token) headers.set('authorization', `Bearer ${context.token}`);
    headers.set('x-request-id', context.requestId);
    // With tracing on, the HTTP instrumentation sets the traceparent of this fetch's own CLIENT span instead.
    if (!tracingStarted()) headers.set('traceparent', context.traceparent);
    headers.set('x-forwarded-for', context.clientIp);
  }
}
