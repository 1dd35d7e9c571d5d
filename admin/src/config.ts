// Build-time constants (admin/vite.config.ts `define`), like the shop's API_BASE_URL.
declare const __API_URL__: string;
declare const __ANON_KEY__: string;

export const apiBaseUrl: string = typeof __API_URL__ !== 'undefined' ? __API_URL__ : 'http://127.0.0.1:54321';
export const apiAnonKey: string = typeof __ANON_KEY__ !== 'undefined' ? __ANON_KEY__ : 'local-anon-key';
/** The `admin` edge function. */
export const adminFunctionUrl = `${apiBaseUrl}/functions/v1/admin`;
