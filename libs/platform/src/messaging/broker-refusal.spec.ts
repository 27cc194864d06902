import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { permanentRefusal } from './broker-refusal';

// The broker's error as kafkajs builds it from a produce response's error code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error & { type: string } };
const protocolError = (code: number) => new KafkaJSProtocolError(createErrorFromCode(code));

describe('permanentRefusal', () => {
  it.each([
    [10, 'MESSAGE_TOO_LARGE'],
    [17, 'INVALID_TOPIC_EXCEPTION'],
    [18, 'RECORD_LIST_TOO_LARGE'],
    [87, 'INVALID_RECORD'],
  ])('parks on broker error %i (%s), also when kafkajs wrapped it', (code, type) => {
    expect(permanentRefusal(protocolError(code))).toMatch(new RegExp(`^${type}: `));
    // As kafkajs's retrier rejects a non-retriable error.
    const bailed = Object.assign(new KafkaJSNonRetriableError(protocolError(code)), { cause: protocolError(code) }); // kafkajs's typings omit `cause`
    expect(permanentRefusal(bailed)).toMatch(new RegExp(`^${type}: `));
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError(code), { retryCount: 5, retryTime: 100 });
    expect(permanentRefusal(wrapped)).toMatch(new RegExp(`^${type}: `));
  });

  it('parks a topic still missing after kafkajs retried it', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError(3), { retryCount: 5, retryTime: 100 });
    expect(permanentRefusal(wrapped)).toMatch(/^UNKNOWN_TOPIC_OR_PARTITION: /);
  });

  it('retries what is about the connection, the cluster or the credentials', () => {
    expect(permanentRefusal(new KafkaJSConnectionError('Connection timeout'))).toBeNull();
    expect(permanentRefusal(protocolError(6))).toBeNull(); // NOT_LEADER_FOR_PARTITION
    expect(permanentRefusal(protocolError(29))).toBeNull(); // TOPIC_AUTHORIZATION_FAILED: fixed once by ops, for every message
    expect(permanentRefusal(new Error('ECONNREFUSED'))).toBeNull();
    expect(permanentRefusal(undefined)).toBeNull();
  });
});
