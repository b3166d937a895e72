/**
 * Jest runs the TypeScript sources directly (ts-jest, ESM), so tests never depend on a prior build.
 * Workspace packages are mapped to their sources for the same reason.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services'],
  testMatch: ['**/src/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@ehds-no/core$': '<rootDir>/packages/core/src/index.ts',
    '^@ehds-no/national-sources-sim$': '<rootDir>/services/national-sources-sim/src/simulator.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-count-reporter.js'],
};
