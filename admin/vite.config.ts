// The operator console (admin/): `npm run build:admin` → admin/dist, served by
// `npm start` on :10087. The API origin and anon key are build-time constants
// like the shop's (config/index.ts): ADMIN_API_URL / ADMIN_ANON_KEY, defaulting
// to the local stack.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const ROOT = resolve(__dirname, '..');
const DEFAULT_API_URL = 'http://127.0.0.1:54321';
const DEFAULT_ANON_KEY = 'local-anon-key';

export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@admin': resolve(__dirname, 'src'),
      '@': resolve(ROOT, 'src'),
      '@functions': resolve(ROOT, 'supabase', 'functions'),
    },
  },
  define: {
    __API_URL__: JSON.stringify(process.env.ADMIN_API_URL || DEFAULT_API_URL),
    __ANON_KEY__: JSON.stringify(process.env.ADMIN_ANON_KEY || DEFAULT_ANON_KEY),
  },
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      output: {
        manualChunks: {
          react: ['react', 'react-dom', 'react-router-dom', '@tanstack/react-query'],
          antd: ['antd', '@ant-design/icons'],
          pro: ['@ant-design/pro-components'],
          echarts: ['echarts', 'echarts-for-react'],
        },
      },
    },
  },
  server: { host: '127.0.0.1', port: 10087 },
  preview: { host: '127.0.0.1', port: 10087 },
});
