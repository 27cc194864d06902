import type { JobDefinition } from '@talent/platform';
import { ConvertFeesJob } from './buyback/buyback.jobs';
import { SweepApprovals } from './invoices/approval-sweep';
import { PurgeIdempotencyKeys } from './invoices/idempotency-keys';
import { SettleLocalCharge } from './provider/local-provider.jobs';

/** The payments job catalog: every job has exactly one `@ProcessesJob` handler. */
export const PAYMENTS_JOBS: readonly JobDefinition[] = [SweepApprovals, PurgeIdempotencyKeys, SettleLocalCharge, ConvertFeesJob];
