export * from './encoding.ts';
export * from './keys.ts';
export * from './pay.ts';
export * from './client.ts';
