// The services of the stack, in start order, with their local ports and databases.
// Used by `npm run dev`, the supergraph composition and the benchmarks.
export const SUBGRAPH_SERVICES = [
  { name: 'identity', port: 4001, database: 'talent_identity' },
  { name: 'jobs', port: 4002, database: 'talent_jobs' },
  { name: 'matching', port: 4003, database: 'talent_matching' },
  { name: 'referrals', port: 4004, database: 'talent_referrals' },
  { name: 'rewards', port: 4005, database: 'talent_rewards' },
  { name: 'payments', port: 4006, database: 'talent_payments' },
  { name: 'governance', port: 4007, database: 'talent_governance' },
  { name: 'partners', port: 4008, database: 'talent_partners' },
];

export const GATEWAY = { name: 'gateway', port: 4000 };
