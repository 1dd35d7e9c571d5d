-- Catalogue upserts and members: create, replace, references, referrer binding.
begin;
select plan(23);

select lives_ok($$select catalog.upsert_level('{"id":"vip1","teamRatio":"5","shareholder":false}')$$, 'a level');
select lives_ok($$select catalog.upsert_level('{"id":"vip2","ratio":"120","rank":3,"upgrade":{"completedSpend":100}}')$$,
  'a level with its own ratio, rank and upgrade conditions');
select lives_ok($$select catalog.upsert_product('{"id":"p1","price":16800,"source":"self","cost":9000,"queue":{"extractRatio":"65"}}')$$, 'a product');
select lives_ok($$select catalog.upsert_product('{"id":"p1","price":100,"source":"supplier","cost":50}')$$, 'a product again');
select is((select row(price, source, queue)::text from catalog.products where id = 'p1'), '(100,supplier,{})',
  'a later product event replaces the whole definition');
select throws_ok($$select catalog.upsert_product('{"id":"p2","price":-1,"source":"self","cost":0}')$$, '22023',
  'price: must not be negative', 'negative amounts');
select throws_ok($$select catalog.upsert_product('{"id":"p2","price":1.5,"source":"self","cost":0}')$$, '22023',
  'price: must be a whole number of fen', 'fractional amounts');
select throws_ok($$select catalog.upsert_product('{"id":"p2","price":10000000001,"source":"self","cost":0}')$$, '22023',
  'price: must be at most 10000000000 fen', 'huge amounts');
select throws_ok($$select catalog.upsert_product('{"id":"p2","price":1,"source":"self","cost":0,"queue":{"defaultRatio":"1"}}')$$,
  '22023', 'queue.defaultRatio: unknown field', 'a product has independentRatio, not defaultRatio');
select throws_ok($$select catalog.upsert_product('{"id":"p2","price":1,"source":"self","cost":0,"queue":{"timeWindows":[{"from":"10:00","to":"25:00"}]}}')$$,
  '22023', 'queue.timeWindows[0].to: must be a time "HH:MM"', 'time windows are checked');
select is((select count(*) from catalog.products where id = 'p2'), 0::bigint, 'refused products are not stored');

select lives_ok($$select catalog.upsert_store('{"id":"s1","commission":"10","queue":{"defaultRatio":"50"}}')$$, 'a store');
select ok(exists (select 1 from ledger.accounts where code = 'revenue:store:s1'), 'a store gets its revenue account');
select throws_ok($$select catalog.upsert_store_product('{"id":"sp1","store":"nope","price":1,"cost":0}')$$, '22023',
  'store: unknown store "nope"', 'a store product needs its store');
select lives_ok($$select catalog.upsert_store_product('{"id":"sp1","store":"s1","price":5000,"cost":2000}')$$, 'a store product');
select lives_ok($$select catalog.upsert_cashier('{"id":"c1","store":"s1"}')$$, 'a cashier');

-- Members and referrers.
select lives_ok($$select members.upsert_member('{"id":"A"}'); select members.upsert_member('{"id":"B","referrer":"A","level":"vip1"}')$$,
  'members with a referrer');
select is((select count(*) from ledger.accounts where owner_member = 'B'), 5::bigint,
  'a member gets wallet (available, frozen), points, love and coupon accounts');
select throws_ok($$select members.upsert_member('{"id":"B","referrer":"C"}')$$, '22023',
  'referrer: already bound to "A" and cannot change', 'a bound referrer never changes');
select lives_ok($$select members.upsert_member('{"id":"B","referrer":"A"}')$$, 're-sending the same referrer is fine');
select throws_ok($$select members.upsert_member('{"id":"A","referrer":"B"}')$$, '22023',
  'referrer: "A" is already registered without a referrer; a referrer binds only at registration',
  'no late binding, so no cycles');
select throws_ok($$select members.upsert_member('{"id":"X","referrer":"X"}')$$, '22023',
  'referrer: a user cannot refer themself', 'no self-referral');
select is((select referrer_id from members.members where id = 'B'), 'A', 'the binding stays');

select * from finish();
rollback;
