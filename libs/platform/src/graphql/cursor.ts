import { BadUserInputError } from '../errors';

/** Opaque pagination cursors: base64url of a small JSON tuple, e.g. a sort key and an id. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'string' || typeof p === 'number')) {
      return parts;
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError('Invalid cursor', 'after');
}

/** Clamps a page size argument: 1..max, BAD_USER_INPUT outside. */
export function pageSize(first: number | null | undefined, fallback: number, max = 100): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadUserInputError(`first must be between 1 and ${max}`, 'first');
  return n;
}
