import { keccak_256 } from '@noble/hashes/sha3.js';

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The EIP-55 mixed-case checksum form of a 20-byte hex address (any case in, checksummed out). */
export function toChecksumAddress(address: string): string {
  if (!HEX_ADDRESS.test(address)) throw new Error('not a 20-byte hex address');
  const lower = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) {
    const nibble = (hash[i >> 1] >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[i].toUpperCase() : lower[i];
  }
  return out;
}

export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string };

/**
 * Withdrawal addresses must be written exactly in their EIP-55 checksum form. An
 * address in one case only (all lower-case or all upper-case hex) carries no checksum,
 * so a typo in it would send tokens to a stranger: it is refused unless that single-case
 * spelling happens to be its checksum form (addresses with no letters, or whose hash
 * makes every letter lower- or upper-case). The zero address (a burn) is refused too.
 */
export function checkWithdrawalAddress(input: string): AddressCheck {
  const address = input.trim();
  if (!HEX_ADDRESS.test(address)) return { ok: false, reason: 'must be 0x followed by 40 hexadecimal characters' };
  if (/^0x0{40}$/.test(address)) return { ok: false, reason: 'must not be the zero address' };
  if (toChecksumAddress(address) !== address) return { ok: false, reason: 'must be an EIP-55 checksummed address (check its capitalisation)' };
  return { ok: true, address };
}
