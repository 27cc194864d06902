import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { FeesConverted } from '@talent/events';
import {
  assertSystem,
  canonicalDecimal,
  canonicalIn,
  EventPublisher,
  formatMinor,
  inTransaction,
  isUniqueViolation,
  parseCommand,
  ROOT_LOGGER,
  sumMinor,
  toMinor,
  type JobData,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { isPositiveDecimal } from './buyback-config';
import { ConvertFeesJob } from './buyback.jobs';
import { btrstFor, canonicalUsdc } from './buyback-math';
import { FIAT_TO_USDC, type FiatToUsdc } from './fx-adapter';
import { BTRST_PRICE_FEED, type BtrstPrice, type BtrstPriceFeed } from './price-feed';

export type FeeConversionStatus = 'CLAIMED' | 'FIAT_CONVERTED' | 'EXECUTED';

interface ConversionRow {
  id: string;
  currency: string;
  fees: string;
  invoice_count: number;
  status: FeeConversionStatus;
  usdc_amount: string | null;
}

/** At most this many invoices' fees per conversion: the rest of a currency waits for the next run. */
const MAX_INVOICES_PER_CONVERSION = 5000;

export interface ConvertFeesResult {
  /** False when another run (this process or another replica) held the lock: nothing was done. */
  ran: boolean;
  executed: string[];
  /** Conversions left unfinished by a failing adapter or feed; the next run resumes them. */
  pending: string[];
}

/**
 * Use case (the system's, run by the ConvertFeesJob): the buyback (issue 10). The platform fees of paid invoices are sold for USDC, and the USDC
 * buys BTRST for the DAO treasury (rewards credits it on FeesConverted). One conversion per
 * currency, a persisted state machine, so that no transaction stays open during the remote
 * calls and a crash between any two steps neither loses nor double-counts a cent:
 *  1. CLAIMED (tx): the currency's unconverted accruals are locked (SKIP LOCKED), the conversion
 *     row records their exact sum and count, and each accrual names the conversion: from then on
 *     these invoices belong to exactly this conversion;
 *  2. FIAT_CONVERTED: the FX adapter sells the fees with reference = the conversion's id (a real
 *     exchange's client order id: asked again after a crash, it returns the first fill), then
 *     (tx) the USDC and the rate are recorded;
 *  3. EXECUTED: the price feed's price (asked once per run); BTRST = USDC / price rounded down
 *     to 18 decimals; then (tx) the price, the BTRST, the accruals' converted_at and the
 *     FeesConverted outbox row, together.
 * Each run takes the unfinished conversions (to resume each from its recorded step) and claims
 * the new fees of every currency without one (a unique index allows one unfinished conversion
 * per currency), then moves them all on, step by step. Runs are serialised by a PostgreSQL
 * advisory lock (across replicas too); each step also re-checks the row's status under its row
 * lock, so even overlapping runs record each step once. Zero fees (fee rate 0) are marked
 * converted without a conversion: there is nothing to buy with them. It never joins `ctx.tx`:
 * each step commits on its own, so that no transaction stays open across a remote call.
 */
@Injectable()
export class ConvertFees implements UseCase<JobData<typeof ConvertFeesJob>, ConvertFeesResult> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    @Inject(FIAT_TO_USDC) private readonly fx: FiatToUsdc,
    @Inject(BTRST_PRICE_FEED) private readonly priceFeed: BtrstPriceFeed,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'fee-conversion' });
  }

  async execute(ctx: UseCaseContext, input: JobData<typeof ConvertFeesJob>): Promise<ConvertFeesResult> {
    assertSystem(ctx, 'ConvertFees');
    parseCommand(ConvertFeesJob.schema, input);
    // A session lock on one pooled connection, held for the run; a crash ends the session and frees it.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }]: Array<{ locked: boolean }> = await runner.query(`SELECT pg_try_advisory_lock(hashtext('payments.fee-conversion')) AS locked`);
      if (!locked) return { ran: false, executed: [], pending: [] };
      try {
        return { ran: true, ...(await this.runLocked()) };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('payments.fee-conversion'))`);
      }
    } finally {
      await runner.release();
    }
  }

  private async runLocked(): Promise<{ executed: string[]; pending: string[] }> {
    const unfinished: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM fee_conversions WHERE status <> 'EXECUTED' ORDER BY claimed_at, id`);
    if (unfinished.length) this.log.info({ count: unfinished.length }, 'resuming unfinished fee conversions');
    const ids = unfinished.map((r) => r.id);

    await this.dataSource.query(`UPDATE fee_accruals SET converted_at = now() WHERE converted_at IS NULL AND conversion_id IS NULL AND amount = 0`);
    const currencies: Array<{ currency: string }> = await this.dataSource.query(
      `SELECT DISTINCT currency FROM fee_accruals a
        WHERE converted_at IS NULL AND conversion_id IS NULL AND amount > 0
          AND NOT EXISTS (SELECT 1 FROM fee_conversions c WHERE c.currency = a.currency AND c.status <> 'EXECUTED')
        ORDER BY currency`,
    );
    for (const { currency } of currencies) {
      const id = await this.claim(currency);
      if (id) ids.push(id);
    }

    // Step by step across the conversions: one currency's slow or failing FX does not hold back
    // the others' fills, and one price (asked once per run) buys for all of them.
    const pending = new Set<string>();
    const fiatConverted: string[] = [];
    for (const id of ids) {
      try {
        if ((await this.sellFiat(id)) === 'FIAT_CONVERTED') fiatConverted.push(id);
      } catch (error) {
        pending.add(id);
        this.log.warn({ err: error, conversionId: id }, 'fees not sold for USDC yet; the next run resumes the conversion');
      }
    }
    const executed: string[] = [];
    const price = fiatConverted.length ? await this.currentPrice() : null;
    for (const id of fiatConverted) {
      if (!price) {
        pending.add(id);
        continue;
      }
      try {
        if ((await inTransaction(this.dataSource, (tx) => this.recordPurchase(tx, id, price.usdcPerBtrst, price.at))) === 'EXECUTED') executed.push(id);
      } catch (error) {
        pending.add(id);
        this.log.warn({ err: error, conversionId: id }, 'fee conversion not executed; the next run resumes it');
      }
    }
    return { executed, pending: [...pending] };
  }

  /** The feed's price in canonical form, or null (logged) when it cannot be had: the conversions wait for the next run. */
  private async currentPrice(): Promise<BtrstPrice | null> {
    try {
      const quote = await this.priceFeed.price();
      if (!isPositiveDecimal(quote.usdcPerBtrst)) throw new RangeError(`the price feed returned an invalid price: ${quote.usdcPerBtrst}`);
      return { usdcPerBtrst: canonicalDecimal(quote.usdcPerBtrst), at: quote.at };
    } catch (error) {
      this.log.warn({ err: error }, 'no BTRST price; the next run resumes the conversions');
      return null;
    }
  }

  /** Step 1: the currency's unconverted fees become one CLAIMED conversion; null when there is nothing (left) to claim. */
  private async claim(currency: string): Promise<string | null> {
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const accruals: Array<{ invoice_id: string; amount: string }> = await tx.query(
          `SELECT invoice_id, amount::text AS amount FROM fee_accruals
            WHERE currency = $1 AND converted_at IS NULL AND conversion_id IS NULL AND amount > 0
            ORDER BY accrued_at, invoice_id
            LIMIT ${MAX_INVOICES_PER_CONVERSION}
            FOR UPDATE SKIP LOCKED`,
          [currency],
        );
        if (accruals.length === 0) return null;
        const fees = sumMinor(
          accruals.map((a) => a.amount),
          currency,
        );
        const id = randomUUID();
        await tx.query(`INSERT INTO fee_conversions (id, currency, fees, invoice_count, status, claimed_at) VALUES ($1, $2, $3, $4, 'CLAIMED', now())`, [
          id,
          currency,
          formatMinor(fees, currency),
          accruals.length,
        ]);
        await tx.query(`UPDATE fee_accruals SET conversion_id = $1 WHERE invoice_id = ANY($2::uuid[])`, [id, accruals.map((a) => a.invoice_id)]);
        this.log.info({ conversionId: id, currency, fees: formatMinor(fees, currency), invoices: accruals.length }, 'fees claimed for conversion');
        return id;
      });
    } catch (error) {
      // Another worker opened this currency's conversion first: it converts those fees.
      if (isUniqueViolation(error, 'fee_conversions_one_open')) return null;
      throw error;
    }
  }

  /** Step 2, for a CLAIMED conversion: sell the fees for USDC (by reference: at most one order) and record the fill. */
  private async sellFiat(id: string): Promise<FeeConversionStatus> {
    const conversion = await this.load(this.dataSource.manager, id);
    if (conversion.status !== 'CLAIMED') return conversion.status;
    const fill = await this.fx.convert({
      reference: conversion.id,
      amount: { amount: canonicalIn(conversion.fees, conversion.currency), currency: conversion.currency },
    });
    const usdcAmount = canonicalUsdc(fill.usdcAmount);
    if (!isPositiveDecimal(fill.rate)) throw new RangeError(`the FX adapter returned an invalid rate: ${fill.rate}`);
    return inTransaction(this.dataSource, async (tx) => {
      const row = await this.load(tx, id, true);
      if (row.status !== 'CLAIMED') return row.status;
      await tx.query(`UPDATE fee_conversions SET status = 'FIAT_CONVERTED', usdc_amount = $2, usdc_rate = $3, fiat_converted_at = now() WHERE id = $1`, [
        id,
        usdcAmount,
        fill.rate,
      ]);
      this.log.info({ conversionId: id, usdcAmount, rate: fill.rate }, 'fees sold for USDC');
      return 'FIAT_CONVERTED';
    });
  }

  /** Step 3, in one transaction: the purchase at `price`, the accruals converted and FeesConverted, all or nothing. */
  private async recordPurchase(tx: EntityManager, id: string, price: string, priceAt: Date): Promise<FeeConversionStatus> {
    const row = await this.load(tx, id, true);
    if (row.status !== 'FIAT_CONVERTED' || row.usdc_amount === null) return row.status;
    // The invariant the dashboard shows: the conversion's fees are exactly its invoices' fees.
    const [claimed]: Array<{ count: number; sum: string | null }> = await tx.query(
      `SELECT count(*)::int AS count, sum(amount)::text AS sum FROM fee_accruals WHERE conversion_id = $1`,
      [id],
    );
    if (claimed.count !== row.invoice_count || toMinor(claimed.sum ?? '0', row.currency) !== toMinor(row.fees, row.currency)) {
      throw new Error(`fee conversion ${id}: its accruals (${claimed.count}, ${claimed.sum}) differ from its record (${row.invoice_count}, ${row.fees})`);
    }
    const usdcAmount = canonicalUsdc(row.usdc_amount);
    const btrstBought = btrstFor(usdcAmount, price);
    const executedAt = new Date();
    await tx.query(`UPDATE fee_conversions SET status = 'EXECUTED', price = $2, price_at = $3, btrst_bought = $4, executed_at = $5 WHERE id = $1`, [
      id,
      price,
      priceAt,
      btrstBought,
      executedAt,
    ]);
    await tx.query(`UPDATE fee_accruals SET converted_at = $2 WHERE conversion_id = $1`, [id, executedAt]);
    const fees = { amount: canonicalIn(row.fees, row.currency), currency: row.currency };
    await this.events.publish(tx, FeesConverted, {
      conversionId: id,
      fees,
      usdcAmount,
      price,
      btrstBought,
      invoiceCount: row.invoice_count,
      executedAt: executedAt.toISOString(),
    });
    this.log.info({ conversionId: id, fees, usdcAmount, price, btrstBought, invoices: row.invoice_count }, 'fees converted to BTRST');
    return 'EXECUTED';
  }

  private async load(tx: EntityManager, id: string, lock = false): Promise<ConversionRow> {
    const rows: ConversionRow[] = await tx.query(
      `SELECT id, currency, fees::text AS fees, invoice_count, status, usdc_amount::text AS usdc_amount
         FROM fee_conversions WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    if (!rows[0]) throw new Error(`fee conversion ${id} not found`);
    return rows[0];
  }
}
