import { BadUserInputError, type ParameterOwner } from '@talent/platform';

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
 * The matching score's weights as governed parameters (`matching.weights.<part>`, see
 * ParameterChangedHandler): rankings that start afterwards read the new weights (the view
 * `ranking_weights` over `governed_parameters`); stored matches keep their scores until their job
 * is ranked again. A weight matching cannot apply (unknown part, not 0..1) is refused for good.
 */
export const rankingWeightParameters: ParameterOwner = {
  owns: (key) => key.startsWith('matching.'),
  canonical: (_tx, key, value) => {
    const part = key.slice(PREFIX.length);
    if (!key.startsWith(PREFIX) || !(PARTS as readonly string[]).includes(part)) {
      throw new BadUserInputError(`${key} is not a matching parameter: expected ${PREFIX}<${PARTS.join('|')}>`, 'key');
    }
    const weight = parseWeight(value);
    if (weight === null) throw new BadUserInputError(`${key} must be a decimal from 0 to 1 with at most 4 decimals, got "${value}"`, 'value');
    return weight;
  },
};
