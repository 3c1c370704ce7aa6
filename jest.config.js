const ESM_ONLY = ['agenda', '@agendajs/[^/]+', 'jose', 'openid-client', 'oauth4webapi', 'oidc-provider'].join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } } }],
    // Agenda 6, jose (under the Teams SDK's jwks-rsa), openid-client with oauth4webapi (console
    // sign-in) and oidc-provider (the tests' identity provider) ship only ES modules; Node 22+ loads
    // them with require(esm), jest's module registry does not (without --experimental-vm-modules),
    // so jest compiles them to CommonJS.
    [`^.+/node_modules/(${ESM_ONLY})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY})/)`],
  globalSetup: '<rootDir>/tests/support/global-setup.js',
  globalTeardown: '<rootDir>/tests/support/global-teardown.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
