// Taro build config: one source, `weapp` and `h5` outputs (dist/<env>).
// API endpoint and anon key are build-time constants (TARO_APP_API_URL,
// TARO_APP_ANON_KEY); the defaults target a local Supabase stack.
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const CONTRACT = path.resolve(__dirname, '..', 'supabase/functions/_shared/api-contract.ts');
const DEFAULT_API_URL = 'http://127.0.0.1:54321';
// Local-stack demo anon key (public by design); real deployments pass TARO_APP_ANON_KEY.
const DEFAULT_ANON_KEY = 'local-anon-key';

export default defineConfig<'webpack5'>(async (merge, { mode }) => {
  const env = process.env.TARO_ENV ?? 'weapp';
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'queue-rebate-mall',
    date: '2026-11-25',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(process.env.TARO_APP_API_URL || DEFAULT_API_URL),
      API_ANON_KEY: JSON.stringify(process.env.TARO_APP_ANON_KEY || DEFAULT_ANON_KEY),
      // h5 share/QR links; defaults to the page's own origin at run time.
      H5_PUBLIC_URL: JSON.stringify(process.env.TARO_APP_H5_URL || ''),
    },
    // `@/` is src/; `@contract` is the api contract, owned by the edge functions
    // (they may import only from supabase/functions). Same paths in tsconfig.json and jest.config.js.
    alias: {
      '@': path.resolve(__dirname, '..', 'src'),
      '@contract$': CONTRACT,
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      compile: { include: [CONTRACT] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // supabase-js needs `Headers`, which WeChat lacks (URL comes from Taro's runtime).
      webpackChain(chain) {
        chain.plugin('providerPlugin').tap((args: Record<string, unknown>[]) => {
          args[0] = { ...args[0], Headers: [path.resolve(__dirname, '..', 'src/services/polyfill.ts'), 'HeadersPolyfill'] };
          return args;
        });
        // No *.LICENSE.txt beside the bundles: WeChat uploads no .txt (scripts/weapp/check.ts); the notices stay in the bundles.
        const minimizers = (chain.optimization as unknown as { minimizers: { has(name: string): boolean } }).minimizers;
        if (minimizers.has('terserPlugin')) {
          chain.optimization.minimizer('terserPlugin').tap((args: Record<string, unknown>[]) => [{ ...args[0], extractComments: false }]);
        }
      },
      optimizeMainPackage: { enable: true },
    },
    h5: {
      compile: { include: [CONTRACT] },
      publicPath: '/',
      staticDirectory: 'static',
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      router: { mode: 'hash' },
      // Taro splits only initial chunks; every lazy page chunk would carry its
      // own copy of the component library. Split async chunks too.
      webpackChain(chain) {
        const splitChunks = chain.optimization.get('splitChunks');
        if (splitChunks) chain.optimization.splitChunks({ ...splitChunks, chunks: 'all' });
      },
      devServer: { port: 10086, host: '127.0.0.1' },
    },
  };
  if (mode === 'development' || process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
