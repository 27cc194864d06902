import { z } from 'zod';
import { BaseConfigSchema } from '@talent/platform';

export const GovernanceConfigSchema = BaseConfigSchema.extend({
  SERVICE_NAME: z.string().default('governance'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4007),
  /** How often a sweep applies proposal transitions whose delayed job was lost or failed (the jobs normally do it on time). */
  PROPOSAL_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  // ---- Governed parameters (src/parameters). These only SEED `governance_parameters` on the first
  // run (and a key added later); from then on the table, i.e. executed proposals, rules.
  // Production defaults below (days, 4% quorum); `npm run dev` uses seconds.
  /** Seconds between a proposal's creation (its snapshot) and the opening of its vote. */
  GOVERNANCE_VOTING_DELAY_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** Seconds a vote stays open. */
  GOVERNANCE_VOTING_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(5 * 86_400),
  /** The shortest voting period a proposal may set (a floor against rushing votes through); not itself governed. */
  GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: z.coerce.number().int().min(1).default(86_400),
  /** Seconds a succeeded proposal waits, queued, before it can be executed. */
  GOVERNANCE_TIMELOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2 * 86_400),
  /** Quorum first reached this close to the end extends the vote to this long after that moment. */
  GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: z.coerce.number().int().min(0).default(86_400),
  /** Seconds a queued proposal stays executable after its timelock before it expires. */
  GOVERNANCE_GRACE_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(14 * 86_400),
  /** Share of the members' BTRST at the snapshot that must vote, e.g. "0.04" (4%). */
  GOVERNANCE_QUORUM_FRACTION: z.string().trim().default('0.04'),
  /** Voting power (BTRST) needed to create a proposal. */
  GOVERNANCE_PROPOSAL_THRESHOLD: z.string().trim().default('1000'),
  /** Jurors drawn per dispute (odd). */
  GOVERNANCE_JURY_SIZE: z.coerce.number().int().min(1).default(5),
  /** Seconds a jury has to vote. */
  GOVERNANCE_JURY_VOTING_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(3 * 86_400),
  /** BTRST per majority juror (rewards' `jury.reward` policy); shown until governance changes it. Keep equal to rewards' seed. */
  GOVERNANCE_JURY_REWARD: z.string().trim().default('20'),
  /** The fee rate governance shows until a proposal changes it; keep equal to payments' PLATFORM_FEE_RATE. */
  PLATFORM_FEE_RATE: z.string().trim().default('0.10'),
});

export type GovernanceConfig = z.infer<typeof GovernanceConfigSchema>;
