-- Settlement of every source (SPEC §1, §5 profit; docs/engine-semantics.md
-- "Settlement"; the model: src/domain/engine/settlement.ts). Once a line's
-- extraction is taken, the rest of its payment goes to exactly one party:
--   self-operated product  → revenue:mall (at completion)
--   supplier product       → supplier:<id>:available the supply price (the
--                            product's cost at payment), at completion;
--                            revenue:mall the difference (may be negative:
--                            revenue:mall allows it)
--   store product, cashier → merchant:<store>:frozen paid − extraction −
--                            commission at payment, → :available at
--                            completion, back to the shopper on refund;
--                            revenue:store:<store> the commission at completion
-- Each posting is a leg of the order's own pay / complete / refund transfer.
-- A store configuration whose extraction + commission exceeds 100% is refused.

-- What each line settles to, fixed at payment (a later catalogue change does not move it).
alter table orders.lines
  add column commission bigint not null default 0 check (commission >= 0),
  add column merchant bigint not null default 0 check (merchant >= 0),
  add column supplier_id text,
  add column supply bigint not null default 0 check (supply >= 0),
  add constraint lines_settlement_within_paid check (extraction + commission + merchant <= paid);

-- The mall's revenue bears supply prices above what a (deducted) line left.
update ledger.accounts set allow_negative = true where code = 'revenue:mall';

/** The supplier account id of a product row, or null for a self-operated product. */
create or replace function catalog.supplier_of(p catalog.products) returns text
language sql immutable
set search_path = ''
as $$ select case when p.source = 'supplier' then coalesce(p.supplier_id, p.id) end $$;

/** Fills a new line's settlement from the catalogue (BEFORE INSERT on orders.lines). */
create or replace function orders.line_settlement() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_rest bigint := new.paid - new.extraction;
  pr catalog.products;
begin
  if new.kind = 'product' then
    select * into pr from catalog.products where id = new.item_id;
    new.supplier_id := catalog.supplier_of(pr);
    new.supply := case when new.supplier_id is null then 0 else pr.cost end;
  else
    new.commission := least(util.pct(new.paid, (select commission from catalog.stores where id = new.store_id)), v_rest);
    new.merchant := v_rest - new.commission;
  end if;
  return new;
end
$$;
create trigger lines_settlement before insert on orders.lines
  for each row execute function orders.line_settlement();

/** Payment: the merchants' shares leave the escrow, frozen (legs for the payment's transfer). */
create or replace function orders.settlement_paid_legs(p_order text) returns ledger.leg[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(x.leg order by x.n), '{}')
  from (
    select 1 as n, row('merchant:' || l.store_id || ':frozen', 'CNY', sum(l.merchant))::ledger.leg as leg
    from orders.lines l where l.order_id = p_order and l.merchant > 0 group by l.store_id
    union all
    select 2, row('escrow:order:' || p_order, 'CNY', -sum(l.merchant))::ledger.leg
    from orders.lines l where l.order_id = p_order and l.merchant > 0 having sum(l.merchant) > 0
  ) x
$$;

/**
 * Completion: what the extraction (and, for store lines, the merchant's
 * share) left in escrow goes to the platform's revenue and the suppliers;
 * merchants' frozen shares become available.
 */
create or replace function orders.settlement_completed_legs(p_order text) returns ledger.leg[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(x.leg), '{}')
  from (
    select row(case when l.kind = 'product' then 'revenue:mall' else 'revenue:store:' || l.store_id end,
               'CNY', l.paid - l.extraction - l.merchant - l.supply)::ledger.leg as leg
    from orders.lines l where l.order_id = p_order and l.paid - l.extraction - l.merchant - l.supply <> 0
    union all
    select row('supplier:' || l.supplier_id || ':available', 'CNY', l.supply)::ledger.leg
    from orders.lines l where l.order_id = p_order and l.supply > 0
    union all
    select row('merchant:' || l.store_id || ':frozen', 'CNY', -l.merchant)::ledger.leg
    from orders.lines l where l.order_id = p_order and l.merchant > 0
    union all
    select row('merchant:' || l.store_id || ':available', 'CNY', l.merchant)::ledger.leg
    from orders.lines l where l.order_id = p_order and l.merchant > 0
    union all
    select row('escrow:order:' || p_order, 'CNY', -sum(l.paid - l.extraction - l.merchant))::ledger.leg
    from orders.lines l where l.order_id = p_order having sum(l.paid - l.extraction - l.merchant) > 0
  ) x
$$;

/** Refund: the merchants' frozen shares return to the escrow (and with it to the shopper). */
create or replace function orders.settlement_refunded_legs(p_order text) returns ledger.leg[]
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(x.leg), '{}')
  from (
    select row('merchant:' || l.store_id || ':frozen', 'CNY', -l.merchant)::ledger.leg as leg
    from orders.lines l where l.order_id = p_order and l.merchant > 0
    union all
    select row('escrow:order:' || p_order, 'CNY', sum(l.merchant))::ledger.leg
    from orders.lines l where l.order_id = p_order having sum(l.merchant) > 0
  ) x
$$;

-- ---------------------------------------------------------------------------
-- Accounts: a merchant's with its store, a supplier's with its first product.

create or replace function catalog.open_merchant_accounts() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform ledger.open_account('merchant:' || new.id || ':available', 'CNY');
  perform ledger.open_account('merchant:' || new.id || ':frozen', 'CNY');
  return new;
end
$$;
create trigger stores_open_merchant_accounts after insert on catalog.stores
  for each row execute function catalog.open_merchant_accounts();

create or replace function catalog.open_supplier_account() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if catalog.supplier_of(new) is not null then
    perform ledger.open_account('supplier:' || catalog.supplier_of(new) || ':available', 'CNY');
  end if;
  return new;
end
$$;
create trigger products_open_supplier_account after insert or update on catalog.products
  for each row execute function catalog.open_supplier_account();

-- ---------------------------------------------------------------------------
-- Extraction + commission <= 100% for every store: the store's own (or the
-- base) extraction, each store product's and each cashier's effective one.

/** True when some store's effective extraction plus its commission exceeds 100%. */
create or replace function catalog.store_extraction_exceeds(p_base numeric) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (
      select 1 from catalog.stores st
      where coalesce((st.queue ->> 'extractRatio')::numeric, p_base) + st.commission > 100)
    or exists (
      select 1 from catalog.store_products sp join catalog.stores st on st.id = sp.store_id
      where coalesce((sp.queue ->> 'extractRatio')::numeric, (st.queue ->> 'extractRatio')::numeric, p_base) + st.commission > 100)
    or exists (
      select 1 from catalog.cashiers c join catalog.stores st on st.id = c.store_id
      where coalesce((c.queue ->> 'extractRatio')::numeric, p_base) + st.commission > 100)
$$;

/** AFTER INSERT OR UPDATE on stores / store products / cashiers / settings; TG_ARGV[0] is the field named. */
create or replace function catalog.require_store_extraction() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  s jsonb;
  v_base numeric;
  v_field text := tg_argv[0];
begin
  if tg_table_name = 'settings' then
    if (new.value ->> 'extractRatio', new.value ->> 'mode') is not distinct from (old.value ->> 'extractRatio', old.value ->> 'mode') then
      return null;
    end if;
    -- A switch back to classic mode that would break a store is refused on `mode`.
    if (new.value ->> 'extractRatio') is not distinct from (old.value ->> 'extractRatio') then
      v_field := 'mode';
    end if;
    s := new.value;
  else
    select value into s from rebate.settings where id;
  end if;
  -- Union mode takes no extraction (its commission-based profit is capped at paid).
  if s ->> 'mode' = 'union' then
    return null;
  end if;
  v_base := (s ->> 'extractRatio')::numeric;
  if catalog.store_extraction_exceeds(v_base) then
    perform util.fail(v_field, 'extraction + commission must not exceed 100%');
  end if;
  return null;
end
$$;
create trigger stores_extraction_within_commission after insert or update on catalog.stores
  for each row execute function catalog.require_store_extraction('commission');
create trigger store_products_extraction_within_commission after insert or update on catalog.store_products
  for each row execute function catalog.require_store_extraction('queue.extractRatio');
create trigger cashiers_extraction_within_commission after insert or update on catalog.cashiers
  for each row execute function catalog.require_store_extraction('queue.extractRatio');
create trigger settings_extraction_within_commission after update on rebate.settings
  for each row execute function catalog.require_store_extraction('extractRatio');

revoke all on function catalog.supplier_of(catalog.products), orders.line_settlement(),
  orders.settlement_paid_legs(text), orders.settlement_completed_legs(text), orders.settlement_refunded_legs(text),
  catalog.open_merchant_accounts(), catalog.open_supplier_account(), catalog.store_extraction_exceeds(numeric),
  catalog.require_store_extraction() from public, anon, authenticated;
