import { ForbiddenError } from '@talent/platform';
import { errorOfSignedInCall } from '@talent/testing';
import { ConvertFees } from './buyback/fee-conversion';
import { RecordContractCompleted } from './contracts/record-contract-completed';
import { RecordContractStarted } from './contracts/record-contract-started';
import { HoldDisputedInvoices } from './disputes/hold-disputed-invoices';
import { SettleDisputedInvoices } from './disputes/settle-disputed-invoices';
import { ApplyProviderWebhook } from './provider/apply-provider-webhook';

// Run by this service's event handlers and scheduled jobs only: should a request path ever reach one, a signed-in
// caller is refused before anything is read or moved.
describe('use cases only the system runs', () => {
  it.each(
    [ConvertFees, HoldDisputedInvoices, SettleDisputedInvoices, RecordContractStarted, RecordContractCompleted, ApplyProviderWebhook].map(
      (type) => [type.name, type] as const,
    ),
  )('%s refuses a signed-in caller (FORBIDDEN)', async (_, type) => {
    expect(await errorOfSignedInCall(type)).toBeInstanceOf(ForbiddenError);
  });
});
