/**
 * Three tiers (see README "Tests"):
 * - unit: *.spec.ts, no I/O, collaborators faked;
 * - integration: *.int-spec.ts, real PostgreSQL, Redis and a Kafka-protocol broker;
 * - e2e: *.e2e-spec.ts, the built services started as processes, driven through the gateway.
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};
const shared = {
  transform,
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@noble|jose|file-type|load-esm)/)'],
  moduleNameMapper: { '^@talent/(events|platform|testing)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
module.exports = {
  // Jest 30 reads the timeout from the top level only; e2e hooks start whole stacks.
  testTimeout: 120_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
    },
  ],
};
