export const GATEWAY_STATE = Symbol('GATEWAY_STATE');

export interface GatewayState {
  schemaLoaded: boolean;
  subgraphUrls: Record<string, string>;
}
