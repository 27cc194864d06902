import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 alphabet: digits and upper-case letters without I, L, O and U, so a
 * code read aloud or copied by hand cannot be mistyped into another valid code.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 8;

const WELL_FORMED = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * A new random code: 8 symbols of 5 bits each, i.e. exactly 40 random bits (5 bytes),
 * uniformly distributed (2^40 ≈ 1.1e12 codes). Uniqueness is the database's job.
 */
export function generateReferralCode(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = CODE_LENGTH - 1; i >= 0; i--) code += CODE_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/**
 * A code as typed, in canonical form, or null when it cannot be a code: upper case,
 * separators (spaces, hyphens) dropped, and Crockford's look-alikes read as what they
 * look like (O as 0, I and L as 1). U is not a symbol and stays invalid.
 */
export function normalizeReferralCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return WELL_FORMED.test(code) ? code : null;
}
