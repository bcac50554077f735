/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Upstream's tests, and the fork's own (org/test/**/*.test.ts).
  roots: ['<rootDir>/test', '<rootDir>/org'],
  testMatch: ['**/*.test.ts'],
  // @marcbachmann/cel-js ships ES modules only; jest's CommonJS runtime needs them transformed.
  transform: { '\\.ts$': '@sucrase/jest-plugin', 'cel-js/lib/.+\\.js$': '@sucrase/jest-plugin' },
  transformIgnorePatterns: ['/node_modules/(?!@marcbachmann/cel-js/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Synthesizing CDK apps is CPU-bound; two workers match the two cores CI has.
  maxWorkers: 2,
  testTimeout: 60000,
};
