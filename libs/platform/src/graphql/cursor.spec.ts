import { DomainError } from '../errors';
import { decodeCursor, encodeCursor, pageSize } from './cursor';

function badInput(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return error as DomainError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('cursors', () => {
  it('round-trip a sort key and an id, as an opaque URL-safe string', () => {
    const parts = ['2025-01-02T03:04:05.000Z', 'a3c1e0f2-0000-4000-8000-000000000001'];
    const cursor = encodeCursor(parts);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('2025');
    expect(decodeCursor(cursor, 2)).toEqual(parts);
    expect(decodeCursor(encodeCursor([42, 'x']), 2)).toEqual([42, 'x']);
  });

  it.each([
    ['garbage', '%%%not-base64%%%'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['the wrong number of parts', encodeCursor(['only-one'])],
    ['parts of the wrong type', Buffer.from('[{"a":1},null]').toString('base64url')],
    ['an empty string', ''],
  ])('refuse %s with BAD_USER_INPUT on the `after` argument', (_, cursor) => {
    const error = badInput(() => decodeCursor(cursor, 2));
    expect(error.message).toBe('Invalid cursor');
    expect(error.details).toEqual({ field: 'after' });
  });
});

describe('pageSize', () => {
  it('uses the fallback when `first` is not given and accepts 1..max', () => {
    expect(pageSize(undefined, 20)).toBe(20);
    expect(pageSize(null, 20)).toBe(20);
    expect(pageSize(1, 20)).toBe(1);
    expect(pageSize(100, 20)).toBe(100);
    expect(pageSize(50, 20, 50)).toBe(50);
  });

  it.each([0, -1, 101, 2.5, Number.NaN])('refuses first = %p', (first) => {
    const error = badInput(() => pageSize(first, 20));
    expect(error.details).toEqual({ field: 'first' });
    expect(error.message).toBe('first must be between 1 and 100');
  });
});
