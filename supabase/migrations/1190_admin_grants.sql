-- Who may call the console's functions: the role `operator` (the `admin`
-- edge function's role) executes the admin.* action functions and the two
-- sign-in steps, nothing else; every admin.* function checks the session
-- and the permission itself (ops.authorize). No other role executes any of
-- them, and nobody reads the ops tables directly.

revoke all on all functions in schema ops, admin from public, anon, authenticated, service_role, operator;
grant usage on schema ops to operator;
grant execute on all functions in schema admin to operator;
grant execute on function ops.sign_in_begin(text), ops.sign_in_finish(uuid, boolean, integer, integer, integer),
  ops.my_password_hash() to operator;
-- scripts/operator.ts and the demo data create operators as the service role.
grant usage on schema ops to service_role;
grant execute on function ops.upsert_operator(text, text, text, text, boolean) to service_role;
-- The operator role reads nothing and writes nothing directly.
revoke all on all tables in schema ops, app, api, catalog, members, orders, rebate, ledger, audit from operator;
