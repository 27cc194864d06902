import type { GraphQLClient } from './graphql-client';
import { waitFor } from './wait-for';

const APPROVE = `mutation ($id: ID!, $key: String!) { approveInvoice(invoiceId: $id, idempotencyKey: $key) { status } }`;
const STATUS = `query ($id: ID!) { invoice(id: $id) { status } }`;

/**
 * The client approves an invoice and waits until the payment provider has confirmed it
 * (approveInvoice answers APPROVED; the provider's webhook makes it PAID a moment later).
 * Returns the final status; throws if it does not settle in time.
 */
export async function approveAndSettle(client: GraphQLClient, invoiceId: string, key: string, timeoutMs = 30_000): Promise<'PAID' | 'FAILED'> {
  const answer = await client.data<{ approveInvoice: { status: string } }>(APPROVE, { id: invoiceId, key });
  if (answer.approveInvoice.status === 'PAID' || answer.approveInvoice.status === 'FAILED') return answer.approveInvoice.status;
  return waitFor(
    async () => {
      const { invoice } = await client.data<{ invoice: { status: string } | null }>(STATUS, { id: invoiceId });
      return invoice?.status === 'PAID' || invoice?.status === 'FAILED' ? invoice.status : null;
    },
    timeoutMs,
    { message: `invoice ${invoiceId} is confirmed by the payment provider` },
  );
}
