import { canonicalAmount, parseFeeRate } from '../money/money';
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
    subtotal: { amount: canonicalAmount(r.subtotal), currency: r.currency },
    platformFee: { amount: canonicalAmount(r.platformFee), currency: r.currency },
    feeRate: parseFeeRate(r.feeRate).text,
    total: { amount: canonicalAmount(r.total), currency: r.currency },
    status: r.status as InvoiceStatusEnum,
    createdAt: r.createdAt,
    paidAt: r.paidAt,
  });
