// The contract's self-contained aliases must stay identical to src/domain.
// The type checks run in `npm run typecheck` (ts-jest here is transpile-only).
import type { DisplaySettings as DomainDisplay } from '@/domain/settings';
import type { EntryStatus as DomainEntryStatus, RewardKind as DomainRewardKind, RewardStatus as DomainRewardStatus } from '@/domain/state';
import type { Fen as DomainFen, Ratio as DomainRatio } from '@/domain/money';
import { API_ACTIONS, PUBLIC_ACTIONS, type DisplaySettings, type EntryStatus, type Fen, type Ratio, type RewardKind, type RewardStatus } from '@contract';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const checks: [
  Same<DisplaySettings, DomainDisplay>,
  Same<EntryStatus, DomainEntryStatus>,
  Same<RewardKind, DomainRewardKind>,
  Same<RewardStatus, DomainRewardStatus>,
  Same<Fen, DomainFen>,
  Same<Ratio, DomainRatio>,
] = [true, true, true, true, true, true];

test('contract types match the domain', () => {
  expect(checks.every(Boolean)).toBe(true);
});

test('action names are unique, dotted, and public ones are listed', () => {
  expect(new Set(API_ACTIONS).size).toBe(API_ACTIONS.length);
  for (const a of API_ACTIONS) expect(a).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  for (const a of PUBLIC_ACTIONS) expect(API_ACTIONS).toContain(a);
});
