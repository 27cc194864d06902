import { canonicalIn } from '@talent/platform';
import { parseFeeRate } from '../parameters/fee-rate';
import type { InvoiceRecord } from './invoice.entity';
import { InvoiceModel, InvoiceStatusEnum } from './invoice.model';

export const toInvoiceModel = (r: InvoiceRecord): InvoiceModel =>
  Object.assign(new InvoiceModel(), {
    id: r.id,
    contractId: r.contractId,
    talentId: r.talentId,
    clientId: r.clientId,
    description: r.description,
    hours: r.hours === null ? null : Number(r.hours),
    subtotal: { amount: canonicalIn(r.subtotal, r.currency), currency: r.currency },
    platformFee: { amount: canonicalIn(r.platformFee, r.currency), currency: r.currency },
    feeRate: parseFeeRate(r.feeRate).text,
    total: { amount: canonicalIn(r.total, r.currency), currency: r.currency },
    status: r.status as InvoiceStatusEnum,
    createdAt: r.createdAt,
    paidAt: r.paidAt,
  });
