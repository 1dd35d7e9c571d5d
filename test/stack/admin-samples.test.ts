// Every action of the action table, with its sample request, succeeds for
// a role that has its permission; every action that changes something
// leaves an audit entry naming the operator. Generated from ADMIN_ACTIONS
// (a new action needs only its sample in helpers/admin.ts).
import { ADMIN_ACTION_NAMES, ADMIN_ACTIONS, can, isReadAction, OPERATOR_ROLES, type AdminAction } from '../../supabase/functions/_shared/admin-contract.ts';
import { startBackend, type Backend } from './helpers/backend.ts';
import { PASSWORD, sampleRequests, setUpAdminFixture, signInOperator, type AdminFixture } from './helpers/admin.ts';

jest.setTimeout(300_000);

let b: Backend;
let fx: AdminFixture;

beforeAll(async () => {
  b = await startBackend(['wechat-login', 'api', 'pay-notify', 'admin']);
  fx = await setUpAdminFixture(b);
});

afterAll(async () => {
  await b?.stop();
});


test('every action\'s sample succeeds for a role allowed to run it; every change is audited with the operator', async () => {
  const samples = sampleRequests(fx) as unknown as Record<AdminAction, Record<string, unknown>>;
  // Sign-out last: it ends the session the others use.
  const order = [...ADMIN_ACTION_NAMES.filter((a) => a !== 'auth.signIn' && a !== 'auth.signOut'), 'auth.signOut' as const];
  const failures: string[] = [];
  for (const action of order) {
    const perm = ADMIN_ACTIONS[action].permission;
    const role = OPERATOR_ROLES.find((r) => perm === 'signedIn' || can(r, perm!))!;
    const [{ n: before }] = await b.db.sql`select count(*)::int as n from ops.audit_log where operator_id = ${fx.operatorIds[role]}`;
    const r = await b.call('admin', { action, ...samples[action] }, fx.tokens[role]);
    if (r.status !== 200) failures.push(`${action} as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
    const [{ n: after }] = await b.db.sql`select count(*)::int as n from ops.audit_log where operator_id = ${fx.operatorIds[role]}`;
    if (isReadAction(action) ? after !== before : after <= before) failures.push(`${action}: audit entries ${before} → ${after}`);
  }
  expect(failures).toEqual([]);
  // The new password works, the old one no longer does.
  expect((await signInOperator(b, 'op-admin', PASSWORD)).status).toBe(401);
  expect((await signInOperator(b, 'op-admin', 'another-horse-10')).status).toBe(200);
  expect((await signInOperator(b, 'newop', 'brand-new-pass')).status).toBe(200);
});
