import { isIP } from 'node:net';
import { z } from 'zod';

/** Express's names for address ranges it can trust: 127.0.0.0/8 and ::1, 169.254.0.0/16 and fe80::/10, private ranges and fc00::/7. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Express's `trust proxy` accepts: nothing, a number of hops, or addresses and CIDR ranges. */
export type TrustedProxies = false | number | string[];

const isAddressOrRange = (entry: string): boolean => {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
};

/**
 * Which peers may tell a service the client's address (X-Forwarded-For). Only those are
 * believed: anyone else's header is ignored and the socket's address counts, so a client
 * cannot pick the address that throttles and logs see. Accepts
 * - empty or `none`: trust no proxy (the peer's socket address is the client);
 * - a number n: trust n proxy hops in front of the service (n load balancers, each appending);
 * - a comma-separated list of addresses, CIDR ranges and `loopback`, `linklocal`, `uniquelocal`.
 */
export const TrustedProxiesSchema = z.string().transform((value, ctx): TrustedProxies => {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.every(isAddressOrRange)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be empty, none, a hop count, or addresses, CIDR ranges, loopback, linklocal, uniquelocal (comma-separated)',
    });
    return z.NEVER;
  }
  return entries;
});
