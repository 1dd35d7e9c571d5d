// Build-time constants (config/index.ts defineConstants); fallbacks for jest.
declare const API_BASE_URL: string;
declare const API_ANON_KEY: string;
declare const H5_PUBLIC_URL: string;

export const apiBaseUrl: string = typeof API_BASE_URL !== 'undefined' ? API_BASE_URL : 'http://127.0.0.1:54321';
export const apiAnonKey: string = typeof API_ANON_KEY !== 'undefined' ? API_ANON_KEY : 'local-anon-key';
export const h5PublicUrl: string = typeof H5_PUBLIC_URL !== 'undefined' ? H5_PUBLIC_URL : '';

export type Platform = 'weapp' | 'h5';
export const platform: Platform = process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp';
export const isH5 = platform === 'h5';
