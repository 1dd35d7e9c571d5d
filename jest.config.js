// Jest projects: `unit` (pure TypeScript), `db` (real Postgres, no mocks),
// `components` (screens with mocked @tarojs/*; see docs/testing.md).
// `@/` is src/ and `@contract` the api contract the edge functions own
// (tsconfig paths, Taro's webpack alias in config/index.ts).
const srcAlias = {
  '^@/(.*)$': '<rootDir>/src/$1',
  '^@contract$': '<rootDir>/supabase/functions/_shared/api-contract.ts',
  // The operator console (admin/) imports the admin contract as @functions/_shared/admin-contract.
  '^@functions/(.*)$': '<rootDir>/supabase/functions/$1',
};
const tsJest = ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx', esModuleInterop: true, isolatedModules: true } }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      moduleNameMapper: srcAlias,
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'db',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/db'],
      moduleNameMapper: srcAlias,
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'stack',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/stack'],
      moduleNameMapper: srcAlias,
      // jose 6 is ESM-only: compile it to CommonJS like our own TypeScript.
      transform: { '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, isolatedModules: true, allowJs: true, target: 'ES2022' } }] },
      transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    },
    {
      // Faults (npm run test:faults): crashes, lost WeChat answers, soak; real Postgres and Deno (docs/reliability.md).
      displayName: 'faults',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/faults'],
      transform: { '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, isolatedModules: true, allowJs: true, target: 'ES2022' } }] },
      transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    },
    {
      // Mini-program screens: jsdom + mocked @tarojs/* (docs/testing.md).
      displayName: 'components',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/components'],
      setupFiles: ['<rootDir>/test/components/mocks/globals.ts'],
      moduleNameMapper: {
        ...srcAlias,
        '^@tarojs/taro$': '<rootDir>/test/components/mocks/taro.ts',
        '^@tarojs/components$': '<rootDir>/test/components/mocks/components.tsx',
        '\\.(css|scss)$': '<rootDir>/test/components/mocks/style.ts',
      },
      transform: { '^.+\\.tsx?$': tsJest },
    },
  ],
};
