/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '\\.ts$': '@sucrase/jest-plugin' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Synthesizing CDK apps is CPU-bound; two workers match the two cores CI has.
  maxWorkers: 2,
  testTimeout: 60000,
};
