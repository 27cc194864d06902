import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './gateway-context';

/**
 * Forwards the caller to a subgraph: the access token only when the gateway verified it
 * (a bad or expired token reaches no subgraph), plus request id, trace context and
 * client address. Subgraphs verify the token again and decide what the caller may do.
 */
export class AuthenticatedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers || !context || !('requestId' in context)) return;
    if (context.user && context.token) headers.set('authorization', `Bearer ${context.token}`);
    headers.set('x-request-id', context.requestId);
    headers.set('traceparent', context.traceparent);
    headers.set('x-forwarded-for', context.clientIp);
  }
}
