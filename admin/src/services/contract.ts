// The `admin` edge function's contract, imported (never copied) from the one
// source the function, its tests and this console share.
export * from '@functions/_shared/admin-contract';
