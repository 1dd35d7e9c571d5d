-- The liability dashboard and compliance actions (1210_admin_estimates.sql),
-- as the role operator with a live session: per-queue outstanding, paid to
-- date, inflow, days to clear, entries within 30/90/300 days, stranded
-- queues, the warning threshold (audited), compliance inputs and the
-- operator's acknowledgement in the audit log. Figures worked by hand.
begin;
select plan(22);

create temp table ctx (k text primary key, v text);
grant all on ctx to operator;
select ops.upsert_operator('boss', '老板', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
select ops.upsert_operator('clerk', '客服', 'support', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
set local role operator;
insert into ctx select 'boss', ops.sign_in_finish((select operator_id from ops.sign_in_begin('boss')), true, 3600, 3, 15)::text;
insert into ctx select 'clerk', ops.sign_in_finish((select operator_id from ops.sign_in_begin('clerk')), true, 3600, 3, 15)::text;
reset role;

-- Two queues: p1 with three paid orders (inflow), p2 with one (its extraction found nobody; inflow all the same).
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":5000}');
select catalog.upsert_product('{"id":"p2","price":20000,"source":"self","cost":9000,"queue":{"extractRatio":"0"}}');
select members.upsert_member(jsonb_build_object('id', u)) from unnest(array['A', 'B', 'C', 'D']) u;
select orders.pay_order(jsonb_build_object('id', o, 'user', u, 'at', now(), 'lines', jsonb_build_array(jsonb_build_object('product', p, 'paid', x))))
from (values ('o1', 'A', 'p1', 10000), ('o2', 'B', 'p1', 10000), ('o3', 'C', 'p1', 10000), ('o4', 'D', 'p2', 20000)) v(o, u, p, x);

create function pg_temp.as_op(p_who text) returns void language sql as $$
  select set_config('request.jwt.claims', json_build_object('aud', 'operator', 'role', 'operator',
    'sub', (select v::jsonb #>> '{operator,id}' from ctx where k = p_who),
    'session_id', (select v::jsonb ->> 'sessionId' from ctx where k = p_who))::text, true)
$$;
grant execute on function pg_temp.as_op(text) to operator;

set local role operator;
select pg_temp.as_op('boss');
insert into ctx select 'l', admin.queues_liability('{}')::text;
reset role;
create function pg_temp.q(p_key text) returns jsonb language sql as $$
  select q from ctx, jsonb_array_elements(v::jsonb -> 'queues') q where k = 'l' and q ->> 'key' = p_key
$$;

-- p1: A owed 10000, paid 1000 + 1000; B 10000; C 10000: outstanding 28000, paid 2000; inflow 3000 in the last 24 h.
select is(pg_temp.q('product:p1') ->> 'outstanding', '28000', 'p1 owes 8000 + 10000 + 10000');
select is(pg_temp.q('product:p1') ->> 'paidToDate', '2000', 'p1 paid A twice 1000');
select is(pg_temp.q('product:p1') -> 'inflowDaily', '[3000, 0, 0, 0, 0, 0, 0]'::jsonb, 'p1''s inflow: three extractions today');
select is(pg_temp.q('product:p1') ->> 'inflowPerDay', '429', 'mean 3000 / 7 = 428.57 → 429 fen a day');
-- Days to clear 28000 at 3000/7 a day: ceil(7 × 28000 / 3000) = 66.
select is(pg_temp.q('product:p1') #>> '{clear,days}', '66', 'p1''s tail clears in 66 days at the mean');
-- Entries: A at 8000 (19 days), B at 18000 (42), C at 28000 (66): within 30 → 1, 90 → 3, 300 → 3.
select is(pg_temp.q('product:p1') -> 'within', '{"d30": 1, "d90": 3, "d300": 3}'::jsonb, 'projected within 30 / 90 / 300 days');
select is(pg_temp.q('product:p1') ->> 'stranded', 'false', 'p1 has inflow');
select is(pg_temp.q('product:p1') ->> 'warning', 'false', '66 days is within the default threshold of 300');
-- p2: extraction 0%: no inflow at all, D's 20000 is stranded.
select is(pg_temp.q('product:p2') ->> 'stranded', 'true', 'a queue without inflow is stranded');
select is(pg_temp.q('product:p2') #>> '{clear,status}', 'noInflow', '... and has no estimate');
select is(pg_temp.q('product:p2') ->> 'warning', 'true', '... and is flagged');
select is((select v::jsonb -> 'total' from ctx where k = 'l') - 'inflowDaily' - 'within',
  '{"waitingCount": 4, "outstanding": 48000, "reserve": 0, "paidToDate": 2000, "stranded": 1, "strandedAmount": 20000, "warnings": 1}'::jsonb,
  'totals over the queues');
select is((select v::jsonb -> 'history' -> 29 from ctx where k = 'l'),
  jsonb_build_object('date', to_char(util.local_day(now()), 'YYYY-MM-DD'), 'outstanding', 48000, 'inflow', 3000),
  'today in the history: outstanding 48000, inflow 3000');
select is((select v::jsonb -> 'ages' -> 0 from ctx where k = 'l'), '{"bucket": "0-7天", "count": 4, "amount": 48000}'::jsonb,
  'every waiting entry is less than a week old');

-- Threshold: 60 days puts p1 (66) in warning; audited with the operator.
set local role operator;
select pg_temp.as_op('boss');
select is(admin.queues_set_liability_warning('{"days": 60}'), '{"days": 60}'::jsonb, 'the threshold is set');
select is((admin.queues_liability('{}') -> 'queues' -> 0 ->> 'warning'), 'true', 'p1 now breaches it');
select throws_ok($$select admin.queues_set_liability_warning('{"days": 0}')$$, '22023', null, 'a threshold below 1 day is refused');
select throws_ok($$select admin.queues_set_liability_warning('{}')$$, '22023', null, '... and a missing one');
reset role;
select is((select after from ops.audit_log where action = 'queues.setLiabilityWarning'), '60'::jsonb, 'the change is in the audit log');

-- Compliance inputs and acknowledgement.
set local role operator;
select pg_temp.as_op('boss');
select is(admin.compliance_inputs('{}') #> '{catalogue,products,0}', '{"id": "p1", "price": 10000, "cost": 5000, "queue": {}}'::jsonb,
  'compliance inputs carry the catalogue in the domain''s shape');
select admin.compliance_acknowledge('{"patch":{"defaultRatio":"130"},"flags":[{"rule":"entitlementAbovePrice","subject":"settings","amount":3000,"per":"100yuan","message":"x"}]}');
select pg_temp.as_op('clerk');
select throws_ok($$select admin.compliance_acknowledge('{"patch":{},"flags":[{"rule":"r","subject":"s","amount":1}]}')$$, '42501', null,
  'support cannot acknowledge settings changes');
reset role;
select is((select jsonb_build_object('op', o.login, 'after', a.after -> 'patch') from ops.audit_log a join ops.operators o on o.id = a.operator_id
           where a.action = 'compliance.acknowledge'),
  '{"op": "boss", "after": {"defaultRatio": "130"}}'::jsonb, 'the acknowledgement names the operator and the patch');

select * from finish();
rollback;
