import { kafkaSecurity } from './kafka';

describe('kafkaSecurity', () => {
  it('is nothing for a local broker', () => {
    expect(kafkaSecurity({})).toEqual({});
  });

  it('gives TLS with the cluster CA and SCRAM credentials, as for a Strimzi KafkaUser', () => {
    expect(kafkaSecurity({ KAFKA_SSL: true, KAFKA_SSL_CA: 'PEM', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'jobs-kafka', KAFKA_SASL_PASSWORD: 'pw' })).toEqual({
      ssl: { ca: ['PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'jobs-kafka', password: 'pw' },
    });
    expect(kafkaSecurity({ KAFKA_SSL: true })).toEqual({ ssl: true });
  });

  it('refuses a mechanism without credentials, naming the variables and not the values', () => {
    expect(() => kafkaSecurity({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'jobs-kafka' })).toThrow(/KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: required/);
  });
});
