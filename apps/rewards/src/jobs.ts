import type { JobDefinition } from '@talent/platform';
import { CheckWithdrawal, ProcessWithdrawal } from './withdrawals/withdrawal.jobs';

/** The rewards job catalog: every job has exactly one `@ProcessesJob` handler. */
export const REWARDS_JOBS: readonly JobDefinition[] = [ProcessWithdrawal, CheckWithdrawal];
