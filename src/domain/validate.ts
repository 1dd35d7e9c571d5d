// Small structural validators shared by replay, the model and the API.
// Every failure names the field path (`lines[0].paid`) so callers can say
// exactly what is wrong.
import { isFen, isRatio, MAX_FEN } from './money';

export class ValidationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ValidationError';
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function fail(field: string, reason: string): never {
  throw new ValidationError(field, reason);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, field: string): JsonObject {
  if (!isObject(value)) fail(field, 'must be an object');
  return value;
}

/** Refuses keys outside `allowed`; names the first unknown one. */
export function onlyKeys(obj: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(join(path, key), 'unknown field');
  }
}

export function expectString(value: unknown, field: string, maxLength = 64): string {
  if (typeof value !== 'string') fail(field, 'must be a string');
  if (value.length === 0) fail(field, 'must not be empty');
  if (value.length > maxLength) fail(field, `must be at most ${maxLength} characters`);
  return value;
}

/** Ids are short printable tokens: letters, digits, `_`, `-`, `.`, `:`. */
export function expectId(value: unknown, field: string): string {
  const id = expectString(value, field, 64);
  if (!/^[A-Za-z0-9_.:-]+$/.test(id)) fail(field, 'must contain only letters, digits, _ . : -');
  return id;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'must be true or false');
  return value;
}

export function expectFen(value: unknown, field: string): number {
  if (typeof value !== 'number') fail(field, 'must be an integer amount in fen');
  if (!Number.isInteger(value)) fail(field, 'must be a whole number of fen');
  if (value < 0) fail(field, 'must not be negative');
  if (!isFen(value)) fail(field, `must be at most ${MAX_FEN} fen`);
  return value;
}

export function expectCount(value: unknown, field: string, max = 1_000_000): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'must be a whole number');
  if (value < 0) fail(field, 'must not be negative');
  if (value > max) fail(field, `must be at most ${max}`);
  return value;
}

export function expectRatio(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'must be a percentage string such as "12.5"');
  if (!isRatio(value)) fail(field, 'must be a percentage from 0 to 10000 with at most 2 decimals');
  return value;
}

export function expectEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

export function expectArray(value: unknown, field: string, maxLength = 1000): Json[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  if (value.length > maxLength) fail(field, `must have at most ${maxLength} items`);
  return value;
}

/** "HH:MM", 00:00..23:59. */
export function expectClock(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) fail(field, 'must be a time "HH:MM"');
  return value;
}

/** An ISO 8601 instant with an explicit offset or Z; returns epoch ms. */
export function expectInstant(value: unknown, field: string): number {
  if (typeof value !== 'string') fail(field, 'must be an ISO 8601 time string');
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) fail(field, 'must be an ISO 8601 time with an offset, e.g. 2026-01-01T10:00:00+08:00');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) fail(field, 'is not a valid time');
  // Date.parse rolls 2026-02-30 over; compare the fields back.
  const offsetMin = m[8] === 'Z' ? 0 : (m[8][0] === '-' ? -1 : 1) * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(4, 6)));
  const local = new Date(ms + offsetMin * 60_000);
  if (
    local.getUTCFullYear() !== Number(m[1]) ||
    local.getUTCMonth() + 1 !== Number(m[2]) ||
    local.getUTCDate() !== Number(m[3]) ||
    local.getUTCHours() !== Number(m[4])
  ) {
    fail(field, 'is not a valid calendar time');
  }
  return ms;
}
