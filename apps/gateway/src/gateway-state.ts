import type { DependencyMonitor } from '@talent/platform';

export const GATEWAY_STATE = Symbol('GATEWAY_STATE');

export interface GatewayState {
  schemaLoaded: boolean;
  subgraphUrls: Record<string, string>;
  /** Each subgraph's `/health`, checked in the background: shown in `/health` and `dependency_up`, never a reason to be unready. */
  subgraphs: DependencyMonitor;
}
