import type { AuthUser } from '@talent/platform';

export interface GatewayContext {
  user: AuthUser | null;
  /** The verified access token, forwarded to subgraphs; undefined when missing or invalid. */
  token?: string;
  requestId: string;
  traceparent: string;
  clientIp: string;
}
