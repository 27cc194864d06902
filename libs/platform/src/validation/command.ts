import type { z } from 'zod';
import { BadUserInputError } from '../errors';

/**
 * Validates a use case's input at its boundary: the parsed command, or BAD_USER_INPUT naming
 * the first offending field (its path, dotted) and what is wrong with it. Never echoes the value.
 */
export function parseCommand<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.') || undefined;
  throw new BadUserInputError(field ? `${field}: ${issue.message}` : issue.message, field);
}
