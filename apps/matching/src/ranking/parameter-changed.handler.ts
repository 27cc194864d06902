import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { ParameterChanged, type EnvelopeOf } from '@talent/events';
import { BadUserInputError, OnEvent, ROOT_LOGGER } from '@talent/platform';

const PARTS = ['skills', 'rate', 'experience', 'reputation'] as const;
const PREFIX = 'matching.weights.';

/** A weight as governed: 0..1 with at most 4 decimals, canonical ("0.50" -> "0.5"); null when not one. */
export function parseWeight(value: string): string | null {
  const match = /^(0|1)(?:\.(\d{1,4}))?$/.exec(value.trim());
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (match[1] === '1' && fraction !== '') return null;
  return fraction ? `${match[1]}.${fraction}` : match[1];
}

/**
 * Governance's ParameterChanged for the matching score's weights (`matching.weights.<part>`):
 * rankings that start afterwards read the new weights (ranking_weights); stored matches keep their
 * scores until their job is ranked again. Applied only when newer than the weight in force, so a
 * redelivered or reordered older change never undoes a newer one. A weight matching cannot apply
 * (unknown part, not 0..1) is refused for good (dead letter, for ops).
 */
@Injectable()
export class WeightsParameterChangedHandler {
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.log = logger.child({ component: 'ranking-weights' });
  }

  @OnEvent(ParameterChanged)
  async onParameterChanged(event: EnvelopeOf<typeof ParameterChanged>, tx: EntityManager): Promise<void> {
    const { key, value, effectiveAt, proposalId } = event.payload;
    if (!key.startsWith('matching.')) return;
    const part = key.slice(PREFIX.length);
    if (!key.startsWith(PREFIX) || !(PARTS as readonly string[]).includes(part)) {
      throw new BadUserInputError(`${key} is not a matching parameter: expected ${PREFIX}<${PARTS.join('|')}>`, 'key');
    }
    const weight = parseWeight(value);
    if (weight === null) throw new BadUserInputError(`${key} must be a decimal from 0 to 1 with at most 4 decimals, got "${value}"`, 'value');
    const updated: unknown[] = await tx.query(
      `UPDATE governed_weights SET weight = $2, effective_at = $3, proposal_id = $4 WHERE part = $1 AND effective_at < $3 RETURNING part`,
      [part, weight, effectiveAt, proposalId],
    );
    this.log.info({ key, value: weight, proposalId, applied: updated.length > 0 }, updated.length > 0 ? 'ranking weight changed by governance' : 'older parameter change ignored');
  }
}
