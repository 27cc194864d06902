export * from './kafka-broker';
export * from './database';
export * from './service-process';
export * from './graphql-client';
export * from './wait-for';
export * from './stack';
export * from './personas';
export * from './deliver';
