// Jest projects: `unit` (pure TypeScript), `db` (real Postgres, no mocks),
// `components` (screens with mocked @tarojs/*; see docs/testing.md).
const tsJest = ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node', jsx: 'react-jsx', esModuleInterop: true, isolatedModules: true } }];
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'db',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/db'],
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'stack',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/stack'],
      transform: { '^.+\\.tsx?$': tsJest },
    },
  ],
};
