import { z } from 'zod';
import { DomainError } from '../errors';
import { parseCommand } from './command';

describe('parseCommand', () => {
  const schema = z.object({ name: z.string().trim().min(3, 'must be at least 3 characters'), tags: z.array(z.string()).min(1, 'at least one') });

  it('returns the parsed command', () => {
    expect(parseCommand(schema, { name: '  abc ', tags: ['x'] })).toEqual({ name: 'abc', tags: ['x'] });
  });

  it('refuses bad input as BAD_USER_INPUT naming the field, without echoing the value', () => {
    const error = (() => {
      try {
        parseCommand(schema, { name: 'secret-ish-value-x'.slice(0, 2), tags: ['x'] });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error?.code).toBe('BAD_USER_INPUT');
    expect(error?.details).toEqual({ field: 'name' });
    expect(error?.message).toBe('name: must be at least 3 characters');
    expect(() => parseCommand(schema, { name: 'abcd', tags: [] })).toThrow('tags: at least one');
  });
});
