import { ForbiddenError } from '@talent/platform';
import { describeSystemOnlyUseCases } from '@talent/testing';
import { ConvertFees } from './buyback/fee-conversion';
import { RecordContractCompleted } from './contracts/record-contract-completed';
import { RecordContractStarted } from './contracts/record-contract-started';
import { HoldDisputedInvoices } from './disputes/hold-disputed-invoices';
import { SettleDisputedInvoices } from './disputes/settle-disputed-invoices';
import { ApplyProviderWebhook } from './provider/apply-provider-webhook';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach
// one, a signed-in caller is refused before anything is read or moved.
describeSystemOnlyUseCases(
  [ConvertFees, HoldDisputedInvoices, SettleDisputedInvoices, RecordContractStarted, RecordContractCompleted, ApplyProviderWebhook],
  ForbiddenError,
);
