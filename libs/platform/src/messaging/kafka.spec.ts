import { kafkaSecurity } from './kafka';

describe('kafkaSecurity', () => {
  it('is nothing for a local broker', () => {
    expect(kafkaSecurity({})).toEqual({});
  });

  it('gives TLS with the cluster CA and SCRAM credentials, as for a Strimzi KafkaUser', () => {
    expect(
      kafkaSecurity({
        KAFKA_SSL: true,
        KAFKA_SSL_CA: 'PEM',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'jobs-kafka',
        KAFKA_SASL_PASSWORD: 'pw',
      }),
    ).toEqual({
      ssl: { ca: ['PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'jobs-kafka', password: 'pw' },
    });
    expect(kafkaSecurity({ KAFKA_SSL: true })).toEqual({ ssl: true });
  });

  it('refuses a mechanism without credentials, naming the variables and not the values', () => {
    expect(() => kafkaSecurity({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'jobs-kafka' })).toThrow(
      /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: required/,
    );
  });
});

// kafkajs 2.2.4 as patched at install (patches/kafkajs+2.2.4.patch): these fail if the patch is not applied.
describe('kafkajs request queue', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
    pending: unknown[];
    inflight: Map<number, object>;
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
    scheduleRequestTimeoutCheck(): void;
    destroy(): void;
  };
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const newQueue = () =>
    new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30_000, enforceRequestTimeout: true, clientId: 'spec', broker: 'spec:9092', logger: silent });

  afterEach(() => jest.useRealTimers());

  it('arms no timer on a connection with nothing queued and no throttle (2.2.4 re-armed one every millisecond, or with a negative delay)', () => {
    const queue = newQueue();
    queue.checkPendingRequests(); // what every response runs
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still rechecks a queued request, and waits out a broker throttle', () => {
    const queue = newQueue();
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    queue.destroy();

    const throttled = newQueue();
    throttled.throttledUntil = Date.now() + 60_000;
    throttled.scheduleCheckPendingRequests();
    expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    throttled.destroy();
  });

  it('times a request out within a second of its timeout', () => {
    jest.useFakeTimers();
    const queue = newQueue();
    const timeoutRequest = jest.fn();
    queue.inflight.set(1, { sentAt: Date.now(), requestTimeout: 5_000, timeoutRequest });
    queue.scheduleRequestTimeoutCheck();
    jest.advanceTimersByTime(5_000);
    expect(timeoutRequest).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1_000);
    expect(timeoutRequest).toHaveBeenCalledTimes(1);
    queue.destroy();
  });
});
