import { parseCloudEventMessage, type EventDefinition, type EventEnvelope, type RawHeaders } from '@talent/events';

/**
 * The envelope of a message read from a public topic, where it travels as a CloudEvent in binary
 * mode (ce_* headers, the payload as the value). Throws with the reason when it is not a valid one,
 * so a test reading a partner topic checks the wire format too.
 */
export function decodePublicEvent(
  message: { headers?: RawHeaders | null; value: Buffer | string | null | undefined },
  catalog?: ReadonlyMap<string, EventDefinition>,
): EventEnvelope {
  const parsed = parseCloudEventMessage(message, catalog);
  if (!parsed.ok) throw new Error(`not a valid public CloudEvent: ${parsed.reason}`);
  return parsed.event;
}
