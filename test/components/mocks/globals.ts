// Taro's page-config macros are compile-time globals in the real build.
(globalThis as Record<string, unknown>).definePageConfig = (c: unknown) => c;
(globalThis as Record<string, unknown>).defineAppConfig = (c: unknown) => c;
