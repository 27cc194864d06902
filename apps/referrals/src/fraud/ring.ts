/** The users `from` referred (signup or job referrals), for a whole frontier at once. */
export type ReferredBy = (from: readonly string[]) => Promise<readonly string[]>;

/** How far a chain of referrals is followed; longer chains are not looked for. */
export const MAX_RING_LENGTH = 32;

/**
 * True when `to` can be reached from `from` by following referrals (connector -> referred),
 * breadth first, one query per level, each user visited once.
 */
export async function reaches(from: string, to: string, referredBy: ReferredBy, maxDepth = MAX_RING_LENGTH): Promise<boolean> {
  const seen = new Set([from]);
  let frontier = [from];
  for (let depth = 0; frontier.length > 0 && depth < maxDepth; depth++) {
    const next: string[] = [];
    for (const user of await referredBy(frontier)) {
      if (user === to) return true;
      if (!seen.has(user)) {
        seen.add(user);
        next.push(user);
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * A new referral connector -> referred closes a ring when the referred user already reaches
 * the connector: B -> A after A -> B, or A -> B -> C -> A for longer chains.
 */
export function closesRing(connectorId: string, referredUserId: string, referredBy: ReferredBy): Promise<boolean> {
  if (connectorId === referredUserId) return Promise.resolve(false); // a self-referral, not a ring
  return reaches(referredUserId, connectorId, referredBy);
}
