import 'reflect-metadata';
import type { EventDefinition } from '@talent/events';

export const ON_EVENT_METADATA = Symbol('talent:on-event');

/**
 * Marks a provider method as the handler of an event. It runs inside the inbox
 * transaction: `(event, tx) => Promise<void>`; use `tx` for every write, and publish
 * follow-up events through the outbox with the same `tx`.
 */
export function OnEvent(definition: EventDefinition): MethodDecorator {
  return (target, propertyKey) => {
    const existing: Array<{ definition: EventDefinition; method: string | symbol }> = Reflect.getMetadata(ON_EVENT_METADATA, target.constructor) ?? [];
    Reflect.defineMetadata(ON_EVENT_METADATA, [...existing, { definition, method: propertyKey }], target.constructor);
  };
}
