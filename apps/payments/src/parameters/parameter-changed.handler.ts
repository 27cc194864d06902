import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ParameterChanged, type EnvelopeOf } from '@talent/events';
import { BadUserInputError, OnEvent, ROOT_LOGGER } from '@talent/platform';
import { isFeeRate, parseFeeRate } from '../money/money';
import { FEE_RATE_KEY } from './parameters.service';

/**
 * Governance's ParameterChanged for the parameters payments owns (`platform.feeRate`): invoices
 * submitted afterwards use the new value, and each invoice keeps the rate it was priced at.
 * Applied only when newer than the value in force, so a redelivered or reordered older change
 * never undoes a newer one. A value payments cannot apply is refused for good (dead letter, for ops).
 */
@Injectable()
export class ParameterChangedHandler {
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.log = logger.child({ component: 'parameters' });
  }

  @OnEvent(ParameterChanged)
  async onParameterChanged(event: EnvelopeOf<typeof ParameterChanged>, tx: EntityManager): Promise<void> {
    const { key, value, effectiveAt, proposalId } = event.payload;
    if (key !== FEE_RATE_KEY) return;
    if (!isFeeRate(value)) throw new BadUserInputError(`${FEE_RATE_KEY} must be a decimal between 0 and 1 with at most 4 decimals, got "${value}"`, 'value');
    const rate = parseFeeRate(value).text;
    const updated: unknown[] = await tx.query(
      `UPDATE parameters SET value = $2, updated_at = $3 WHERE key = $1 AND updated_at < $3 RETURNING key`,
      [key, rate, effectiveAt],
    );
    this.log.info({ key, value: rate, proposalId, applied: updated.length > 0 }, updated.length > 0 ? 'parameter changed by governance' : 'older parameter change ignored');
  }
}
