-- The console's SQL (1100–1190): sign-in and lockout, ops.authorize, the
-- audit log, settings through the engine (operator id as actor, fields
-- under patch.), the per-queue pause, RLS and privileges of the new tables.
-- Every admin.* function's role check against the contract's action table
-- is test/db/admin-permissions.test.ts (it reads the TypeScript table).
begin;
select plan(38);

create temp table ctx (k text primary key, v text);
grant all on ctx to operator, anon, authenticated;

select isnt(ops.upsert_operator('boss', '老板', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO'), null, 'upsert_operator creates an account');
insert into ctx select 'boss', id::text from ops.operators where login = 'boss';
select ops.upsert_operator('clerk', '客服', 'support', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
insert into ctx select 'clerk', id::text from ops.operators where login = 'clerk';

-- ---------------------------------------------------------------- accounts
select throws_ok($$select ops.upsert_operator('new', '新', 'admin', null)$$, '22023', 'password: required for a new operator', 'a new account needs a password');
select throws_ok($$select ops.upsert_operator('xx', '新', 'owner', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO')$$, '22023',
  'role: must be one of admin, finance, support', 'roles are admin, finance, support');
select throws_ok($$select ops.upsert_operator('yy', '新', 'admin', 'plain-text')$$, '22023', 'password: must be a bcrypt hash', 'only bcrypt hashes are stored');
select throws_ok($$select ops.upsert_operator('Bad Login', '新', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO')$$, '22023', null, 'logins are lower-case tokens');

-- ---------------------------------------------------------------- sign-in and lockout (as the role operator)
set local role operator;
select is((select found from ops.sign_in_begin('nobody')), false, 'an unknown login is not found');
select is((select operator_id::text from ops.sign_in_begin('BOSS ')), (select v from ctx where k = 'boss'), 'logins match case- and space-insensitively');
select is((ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, false, 3600, 3, 15) ->> 'failedAttempts')::int, 1, 'a failure counts');
select ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, false, 3600, 3, 15);
select isnt(ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, false, 3600, 3, 15) ->> 'lockedUntil', null, 'the third failure in a row locks the account');
select is(ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, true, 3600, 3, 15) ->> 'ok', 'false', 'a locked account is refused even with the right password');
select isnt((select locked_until from ops.sign_in_begin('clerk')), null, 'sign_in_begin reports the lock');
insert into ctx select 'signin', ops.sign_in_finish((select v from ctx where k = 'boss')::uuid, true, 3600, 3, 15)::text;
select is((select v::jsonb ->> 'ok' from ctx where k = 'signin'), 'true', 'the right password opens a session');
select is((select v::jsonb #>> '{operator,access,canEditSettings}' from ctx where k = 'signin'), 'true', 'the profile carries the role''s permission map');
select throws_ok($$select * from ops.operators$$, '42501', null, 'the operator role reads no account');
select throws_ok($$select * from ops.sessions$$, '42501', null, 'nor sessions');
select throws_ok($$select ops.upsert_operator('z', 'z', 'admin', null)$$, '42501', null, 'nor creates accounts');
reset role;
select is((select failed_attempts from ops.operators where login = 'boss'), 0, 'a success resets the failure count');
select is((select count(*)::int from ops.audit_log where action = 'auth.locked'), 1, 'the lock is audited');
update ops.operators set locked_until = now() - interval '1 second' where login = 'clerk';
set local role operator;
select is(ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, false, 3600, 3, 15) - 'ok',
  '{"lockedUntil": null, "failedAttempts": 1}'::jsonb, 'once the lock has run out, the count starts again');
select is(ops.sign_in_finish((select v from ctx where k = 'clerk')::uuid, true, 3600, 3, 15) ->> 'ok', 'true', 'and the right password works');
reset role;

-- ---------------------------------------------------------------- authorize
insert into ctx values ('claims', json_build_object('aud', 'operator', 'role', 'operator', 'sub', (select v from ctx where k = 'boss'),
  'session_id', (select v::jsonb ->> 'sessionId' from ctx where k = 'signin'))::text);
set local role operator;
select throws_ok($$select admin.settings_get('{}')$$, '42501', '请先登录后台', 'no claims: unauthenticated');
select set_config('request.jwt.claims', (select v from ctx where k = 'claims'), true);
select is(admin.auth_me('{}') #>> '{operator,login}', 'boss', 'the session''s operator');
select is(admin.settings_get('{}') #>> '{settings,extractRatio}', '10', 'an admin reads the settings');

-- ---------------------------------------------------------------- settings through the engine
select throws_ok($$select admin.settings_update('{"patch":{"extractRatio":"101"}}')$$, '22023', 'patch.extractRatio: must be at most 100',
  'the engine''s validation, with the request''s field name');
select throws_ok($$select admin.settings_update('{"patch":{"queueOrder":"fifo"}}')$$, '22023', null, 'bad enum refused');
select is(admin.settings_preview('{"patch":{"paused":true}}') -> 'diff', '[{"path": "settings.paused", "after": true, "before": false}]'::jsonb,
  'preview: the diff, nothing saved');
select is(admin.settings_update('{"patch":{"extractRatio":"25"}}') #>> '{settings,extractRatio}', '25', 'update saves');
reset role;
select is((select value ->> 'paused' from rebate.settings), 'false', 'preview saved nothing');
select is((select actor from audit.settings_changes order by id desc limit 1), (select v from ctx where k = 'boss'), 'the engine''s settings audit names the operator id');
select is((select operator_id::text from ops.audit_log where action = 'settings.update'), (select v from ctx where k = 'boss'),
  'the console audit names the operator');
select throws_ok($$update ops.audit_log set note = 'x'$$, '55000', null, 'the audit log is append-only');
select throws_ok($$delete from ops.audit_log$$, '55000', null, 'entries are never deleted');

-- ---------------------------------------------------------------- revoked session
update ops.sessions set revoked_at = now();
set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims'), true);
select throws_ok($$select admin.auth_me('{}')$$, '42501', '请先登录后台', 'a revoked session is refused');
reset role;

-- ---------------------------------------------------------------- per-queue pause
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select members.upsert_member('{"id":"A"}');
select orders.pay_order('{"id":"o1","user":"A","at":"2026-01-01T10:00:00+08:00","lines":[{"product":"p1","paid":10000}]}');
insert into ctx values ('kept', ledger.balance('kept:product:p1')::text);
insert into rebate.queue_pauses (queue_id) select id from rebate.queues where key = 'product:p1';
select orders.pay_order('{"id":"o2","user":"A","at":"2026-01-01T10:01:00+08:00","lines":[{"product":"p1","paid":10000}]}');
select is((select paused from rebate.queue_ops where order_id = 'o2'), true, 'an allocation journalled while its queue is paused carries paused');
select is(ledger.balance('kept:product:p1') - (select v::bigint from ctx where k = 'kept'), 2500::bigint, 'and its extraction is kept, nobody paid');
select is((select paid from rebate.entries where order_id = 'o1'), 0::bigint, 'the waiting entry got nothing');

-- ---------------------------------------------------------------- RLS and privileges of the new tables
select is_empty($$select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and (n.nspname = 'ops' or c.oid in ('app.suppliers'::regclass, 'app.product_suppliers'::regclass,
    'app.level_names'::regclass, 'rebate.queue_pauses'::regclass)) and not c.relrowsecurity$$, 'every console table has RLS');
select is_empty($$select c.oid::regclass::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and (n.nspname = 'ops' or c.oid in ('app.suppliers'::regclass, 'app.product_suppliers'::regclass,
    'app.level_names'::regclass, 'rebate.queue_pauses'::regclass))
    and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('authenticated', c.oid, 'select')
         or has_table_privilege('operator', c.oid, 'select') or has_table_privilege('service_role', c.oid, 'insert'))$$,
  'no client role, nor operator, reads or writes them directly');

select * from finish();
rollback;
