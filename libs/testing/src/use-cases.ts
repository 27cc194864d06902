/// <reference types="jest" />
import { randomUUID } from 'node:crypto';

/** A use case class, as libs/platform's `UseCase` shapes it (structurally: this library cannot import platform). */
type UseCaseClass = abstract new (...args: never[]) => {
  execute(ctx: { caller: { id: string; roles: string[] } | null }, command: never): Promise<unknown>;
};

/**
 * For use cases only the system runs (event handlers, jobs): what one does when a signed-in caller
 * (an admin, even) reaches it. It is built without its collaborators (its constructor never runs),
 * so the only error it can give that is not a crash on a missing one is the refusal it throws before
 * touching any: nothing read, nothing moved. Resolves to the error thrown, or `'no error'`.
 */
export async function errorOfSignedInCall(type: UseCaseClass): Promise<unknown> {
  const useCase = Object.create(type.prototype as object) as InstanceType<UseCaseClass>;
  try {
    await useCase.execute({ caller: { id: randomUUID(), roles: ['ADMIN'] } }, {} as never);
    return 'no error';
  } catch (error) {
    return error;
  }
}

/**
 * A service's unit spec of its system-only use cases: each refuses a signed-in caller with
 * `refusal` (libs/platform's ForbiddenError) before it reads or moves anything. Jest's globals
 * are read when called, so importing this library outside Jest (the benchmarks) stays harmless.
 */
export function describeSystemOnlyUseCases(useCases: UseCaseClass[], refusal: abstract new (...args: never[]) => Error): void {
  describe('use cases only the system runs (event handlers, scheduled jobs)', () => {
    it.each(useCases.map((type) => [type.name, type] as const))('%s refuses a signed-in caller before it reads or moves anything', async (_, type) => {
      expect(await errorOfSignedInCall(type)).toBeInstanceOf(refusal);
    });
  });
}
