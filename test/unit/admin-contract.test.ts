// The admin contract is the one source of the console's permissions: the
// action table names a known permission for every action, SQL function names
// are unique, and docs/api.md's roles table is exactly the permission map.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMIN_ACTION_NAMES,
  ADMIN_ACTIONS,
  OPERATOR_ROLES,
  PERMISSION_NAMES,
  PERMISSIONS,
  ROLE_NAMES,
  ROLE_PERMISSIONS,
  accessOf,
  can,
  sqlFunctionOf,
} from '../../supabase/functions/_shared/admin-contract.ts';

/** The markdown table docs/api.md must contain (regenerate with `npx tsx -e` on this function if the map changes). */
export function rolesTable(): string {
  const head = `| permission | what | ${OPERATOR_ROLES.map((r) => `${r} (${ROLE_NAMES[r]})`).join(' | ')} |`;
  const sep = `|---|---|${OPERATOR_ROLES.map(() => '---').join('|')}|`;
  const rows = PERMISSIONS.map(
    (p) => `| \`${p}\` | ${PERMISSION_NAMES[p]} | ${OPERATOR_ROLES.map((r) => (ROLE_PERMISSIONS[r][p] ? 'yes' : '—')).join(' | ')} |`,
  );
  return [head, sep, ...rows].join('\n');
}

describe('admin contract', () => {
  test('every action names a known permission, sign-in alone needs none', () => {
    for (const a of ADMIN_ACTION_NAMES) {
      const p = ADMIN_ACTIONS[a].permission;
      if (a === 'auth.signIn') expect(p).toBeNull();
      else expect([...PERMISSIONS, 'signedIn']).toContain(p);
    }
  });

  test('SQL function names are distinct and lower snake case', () => {
    const fns = ADMIN_ACTION_NAMES.map(sqlFunctionOf);
    expect(new Set(fns).size).toBe(fns.length);
    for (const f of fns) expect(f).toMatch(/^[a-z]+_[a-z_]+$/);
    expect(sqlFunctionOf('catalog.productSave')).toBe('catalog_product_save');
  });

  test('admin may do everything, finance alone of the others reviews withdrawals, support alone refunds', () => {
    for (const p of PERMISSIONS) expect(can('admin', p)).toBe(true);
    expect(can('finance', 'canReviewWithdrawals')).toBe(true);
    expect(can('support', 'canReviewWithdrawals')).toBe(false);
    expect(can('support', 'canReviewRefunds')).toBe(true);
    expect(can('finance', 'canReviewRefunds')).toBe(false);
    expect(can('finance', 'canEditSettings')).toBe(false);
    expect(can(null, 'canViewSettings')).toBe(false);
    expect(accessOf('support').canViewOrders).toBe(true);
  });

  test('every permission is used by some action', () => {
    const used = new Set(ADMIN_ACTION_NAMES.map((a) => ADMIN_ACTIONS[a].permission));
    for (const p of PERMISSIONS) expect(used).toContain(p);
  });

  test('docs/api.md carries the roles table generated from the permission map', () => {
    const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    expect(docs).toContain(rolesTable());
  });
});
