import { PartnerNodesResolver } from './nodes/partner-nodes.resolver';

/** Every resolver of the partners subgraph (also used to print its SDL for composition). */
export const PARTNERS_RESOLVERS = [PartnerNodesResolver];
