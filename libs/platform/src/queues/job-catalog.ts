import 'reflect-metadata';
import type { z } from 'zod';

/** A kind of background job: its name and the shape of its data, validated when added and when run. */
export interface JobDefinition<TName extends string = string, TSchema extends z.ZodType = z.ZodType> {
  name: TName;
  schema: TSchema;
  /** Attempts before the job is left failed (BullMQ keeps it for inspection). */
  attempts?: number;
}

export function defineJob<TName extends string, TSchema extends z.ZodType>(definition: JobDefinition<TName, TSchema>): JobDefinition<TName, TSchema> {
  return Object.freeze(definition);
}

export type JobData<D> = D extends JobDefinition<string, infer S> ? z.infer<S> : never;

export const PROCESSES_JOB_METADATA = Symbol('talent:processes-job');

/** Marks a provider method as the one handler of a job kind. */
export function ProcessesJob(definition: JobDefinition): MethodDecorator {
  return (target, propertyKey) => {
    const existing: Array<{ definition: JobDefinition; method: string | symbol }> = Reflect.getMetadata(PROCESSES_JOB_METADATA, target.constructor) ?? [];
    Reflect.defineMetadata(PROCESSES_JOB_METADATA, [...existing, { definition, method: propertyKey }], target.constructor);
  };
}

/**
 * Checks that every job of the catalog has exactly one handler and that no handler
 * serves a job missing from the catalog; the service refuses to start otherwise.
 */
export function assertCatalogComplete(catalog: readonly JobDefinition[], handled: readonly string[]): void {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const name of handled) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const { name } of catalog) {
    const n = counts.get(name) ?? 0;
    if (n === 0) problems.push(`job "${name}" has no handler`);
    if (n > 1) problems.push(`job "${name}" has ${n} handlers`);
  }
  const known = new Set(catalog.map((d) => d.name));
  for (const name of counts.keys()) if (!known.has(name)) problems.push(`handler for unknown job "${name}"`);
  if (problems.length) throw new Error(`Job catalog incomplete: ${problems.join('; ')}`);
}
