-- Ledger: transfers, balances, idempotency, immutability.
begin;
select plan(27);

-- Transfers between two fresh accounts (created on first use).
select lives_ok(
  $$select ledger.transfer('t1', 'test', array[row('a1', 'CNY', -0)::ledger.leg, row('world', 'CNY', -500)::ledger.leg, row('a1', 'CNY', 500)::ledger.leg])$$,
  'a transfer from the world to a new account posts');
select is(ledger.balance('a1'), 500::bigint, 'the new account holds the amount');
select is((select version from ledger.accounts where code = 'a1'), 1::bigint, 'its version was bumped once');
select is(
  (select count(*) from ledger.entries e join ledger.transfers t on t.id = e.transfer_id where t.idempotency_key = 't1'),
  2::bigint, 'one entry per account (legs on one account are netted)');
select ok(
  (select previous_balance is null and current_balance is null from ledger.entries e
   join ledger.accounts a on a.id = e.account_id where a.code = 'world'),
  'the untracked world account carries no running balance');
select is((select balance from ledger.accounts where code = 'world'), 0::bigint, 'the world row is never updated');
select ok(
  (select previous_balance = 0 and current_balance = 500 and account_version = 1 from ledger.entries e
   join ledger.accounts a on a.id = e.account_id where a.code = 'a1'),
  'a tracked entry records the balance before and after and the version');

-- Idempotency: the same key is a no-op returning the same transfer.
select is(
  ledger.transfer('t1', 'test', array[row('world', 'CNY', -500)::ledger.leg, row('a1', 'CNY', 500)::ledger.leg]),
  (select id from ledger.transfers where idempotency_key = 't1'),
  'a repeated key returns the existing transfer');
select is(ledger.balance('a1'), 500::bigint, 'and moves nothing');

-- Legs must balance per currency.
select throws_ok(
  $$select ledger.transfer('t2', 'test', array[row('world', 'CNY', -500)::ledger.leg, row('a1', 'CNY', 400)::ledger.leg])$$,
  '22023', 'legs: CNY legs sum to -100, not 0', 'unbalanced legs are refused');
select throws_ok(
  $$select ledger.transfer('t3', 'test', array[row('world', 'CNY', -5)::ledger.leg, row('p1', 'POINTS', 5)::ledger.leg])$$,
  '22023', null, 'legs of different currencies cannot balance each other');
select throws_ok(
  $$select ledger.transfer('t4', 'test', array[row('world:POINTS', 'POINTS', -5)::ledger.leg, row('a1', 'POINTS', 5)::ledger.leg])$$,
  '22023', 'legs: account a1 holds CNY, not POINTS', 'an account keeps its currency');
select throws_ok(
  $$select ledger.transfer('', 'test', array[row('world', 'CNY', 0)::ledger.leg])$$,
  '22023', 'key: must not be empty', 'every transfer needs an idempotency key');

-- Balances never go negative (unless the account allows it).
select throws_ok(
  $$select ledger.transfer('t5', 'test', array[row('a1', 'CNY', -501)::ledger.leg, row('a2', 'CNY', 501)::ledger.leg])$$,
  '23514', null, 'a transfer that would overdraw an account is refused');
select is(ledger.balance('a1'), 500::bigint, 'and changes nothing');
select is((select count(*) from ledger.transfers where idempotency_key = 't5'), 0::bigint, 'not even the transfer row');
select lives_ok(
  $$select ledger.transfer('t6', 'test', array[row('a1', 'CNY', -500)::ledger.leg, row('a2', 'CNY', 500)::ledger.leg])$$,
  'an account may go exactly to zero');
select lives_ok(
  $$select ledger.open_account('neg', 'CNY', true)$$, 'an account may allow negative balances');
select lives_ok(
  $$select ledger.transfer('t7', 'test', array[row('neg', 'CNY', -70)::ledger.leg, row('a2', 'CNY', 70)::ledger.leg])$$,
  'which then goes below zero');
select is(ledger.balance('neg'), -70::bigint, 'allow_negative account balance');

-- Append-only postings.
select throws_ok($$update ledger.entries set amount = amount + 1$$, '55000', null, 'entries cannot be updated');
select throws_ok($$delete from ledger.entries$$, '55000', null, 'entries cannot be deleted');
select throws_ok($$truncate ledger.entries$$, '55000', null, 'entries cannot be truncated');
select throws_ok($$update ledger.transfers set kind = 'x'$$, '55000', null, 'transfers cannot be updated');
select throws_ok($$delete from ledger.transfers$$, '55000', null, 'transfers cannot be deleted');
select throws_ok($$update ledger.accounts set balance = balance + 1 where code = 'a2'$$, '55000',
  'ledger.accounts: balances change only through ledger.transfer', 'balances change only through transfers');

-- Every posting sums to zero per transfer and currency.
select is_empty(
  $$select e.transfer_id, a.currency from ledger.entries e join ledger.accounts a on a.id = e.account_id
    group by 1, 2 having sum(e.amount) <> 0$$,
  'every transfer sums to zero per currency');

select * from finish();
rollback;
