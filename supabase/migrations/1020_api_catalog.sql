-- Public catalogue, display settings and queue previews.

/**
 * What a line of this item would get for p_member (null: nobody signed in)
 * at p_at: its queue key, entry ratio (the §4 chain with the member's level,
 * cumulative spend and lottery), extraction ratio, lottery, and whether it
 * would join (switches and time windows; per-user limits and deductions are
 * the checkout's). rebate.resolve_line, the resolver payment uses, decides
 * every figure, so a preview shows what payment gives.
 */
create or replace function app.line_queue(p_kind text, p_item text, p_member text, p_at timestamptz)
returns table (queue_key text, enabled boolean, ratio numeric, extract_ratio numeric, lottery jsonb, store_id text)
language sql stable
security definer
set search_path = ''
as $$
  select r.queue_key, r.enabled and r.in_window, r.ratio, r.extract_ratio, r.lottery, r.store_id
  from rebate.resolve_line(p_kind, p_item, p_member, p_at) r
$$;

/** LotteryView of the contract (weights are not shown). */
create or replace function app.lottery_view(p_lottery jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  select case
    when p_lottery is null or jsonb_typeof(p_lottery) <> 'object' then null
    when p_lottery ->> 'kind' = 'fixed' then jsonb_build_object('kind', 'fixed', 'ratios', p_lottery -> 'ratios')
    else jsonb_build_object('kind', 'range', 'min', p_lottery -> 'min', 'max', p_lottery -> 'max') end
$$;

/** Display name of a queue: "商品队列·有机大米", "门店队列·一号店", "收银台·一号店前台". */
create or replace function app.queue_name(p_key text) returns text
language sql stable
security definer
set search_path = ''
as $$
  select case
    when p_key = 'mall' then '商城队列'
    when p_key = 'stores' then '门店队列'
    when p_key = 'cashiers' then '收银台队列'
    when p_key = 'union' then '工会队列'
    when p_key like 'product:%' then '商品队列·' || coalesce((select title from app.listings where id = substr(p_key, 9)), substr(p_key, 9))
    when p_key like 'store:%' then '门店队列·' || coalesce((select name from app.stores where store_id = substr(p_key, 7)), substr(p_key, 7))
    when p_key like 'cashier:%' then '收银台·' || coalesce(
      (select s.name || '·' || c.name from app.cashiers c join catalog.cashiers cc on cc.id = c.cashier_id
         left join app.stores s on s.store_id = cc.store_id where c.cashier_id = substr(p_key, 9)),
      substr(p_key, 9))
    else p_key end
$$;

-- app.queue_stats and app.estimate_json: 1200_api_estimates.sql.

/** QueuePreview of the contract for one line of `p_base` fen bought now by p_member (null: nobody signed in). */
create or replace function app.queue_preview(p_kind text, p_item text, p_base bigint, p_member text) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  lq record;
  st record;
  v_ent bigint;
begin
  select * into lq from app.line_queue(p_kind, p_item, p_member, now());
  if not found then
    return null;
  end if;
  select * into st from app.queue_stats(lq.queue_key);
  v_ent := util.pct(p_base, lq.ratio);
  return jsonb_build_object(
    'enabled', lq.enabled,
    'queueKey', lq.queue_key,
    'queueName', app.queue_name(lq.queue_key),
    'ratio', util.ratio_text(lq.ratio),
    'entitlement', v_ent,
    'base', p_base,
    'extractRatio', util.ratio_text(lq.extract_ratio),
    'waitingCount', coalesce(st.waiting_count, 0),
    'amountAhead', coalesce(st.amount_waiting, 0),
    'lottery', app.lottery_view(lq.lottery),
    'estimate', case when lq.enabled then app.estimate_json(coalesce(st.amount_waiting, 0) + v_ent - coalesce(st.reserve, 0),
                                                            coalesce(st.inflow_daily, array[0, 0, 0, 0, 0, 0, 0]::bigint[])) end,
    'paused', (rebate.current_settings() ->> 'paused')::boolean);
end
$$;

/** Price of a listing from the core catalogue. */
create or replace function app.listing_price(p_kind text, p_id text) returns bigint
language sql stable
security definer
set search_path = ''
as $$
  select case when p_kind = 'product' then (select price from catalog.products where id = p_id)
              else (select price from catalog.store_products where id = p_id) end
$$;

/** ProductCard of the contract; its queue ratio is the signed-in member's (level, cumulative spend). */
create or replace function app.product_card(l app.listings) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  lq record;
begin
  select * into lq from app.line_queue(l.kind, l.id, members.current_member_id(), now());
  return jsonb_build_object(
    'id', l.id,
    'title', l.title,
    'image', l.images[1],
    'price', app.listing_price(l.kind, l.id),
    'marketPrice', l.market_price,
    'sales', l.sales,
    'source', l.source,
    'queueRatio', case when lq.enabled then util.ratio_text(lq.ratio) end);
end
$$;

create or replace function api.settings_display(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'name', s ->> 'name',
    'exchangeButtonName', s ->> 'exchangeButtonName',
    'display', s -> 'display',
    'mode', s ->> 'mode',
    'paused', (s ->> 'paused')::boolean,
    'lotteryOn', jsonb_typeof(s -> 'lottery') = 'object',
    'exchangeRatio', s -> 'exchangeRatio',
    'loveFrozen', coalesce((s ->> 'loveFrozen')::boolean, false))
  from (select rebate.current_settings() as s) x
$$;

create or replace function app.categories_json() returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'icon', icon, 'parentId', parent_id) order by sort, id), '[]')
  from app.categories
$$;

create or replace function api.catalog_categories(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$ select jsonb_build_object('categories', app.categories_json()) $$;

create or replace function api.catalog_home(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'banners', coalesce((select value from app.site_content where key = 'banners'), '[]'),
    'notice', (select value #>> '{}' from app.site_content where key = 'notice'),
    'categories', app.categories_json(),
    'recommended', coalesce((
      select jsonb_agg(app.product_card(l) order by l.sort, l.sales desc, l.id)
      from (select * from app.listings where on_sale and recommended order by sort, sales desc, id limit 10) l), '[]'))
$$;

/** Listings page; cursor = offset in the chosen order (a string). */
create or replace function api.catalog_products(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_offset integer := coalesce(app.page_cursor(p, 100000), 0);
  v_sort text := coalesce(p ->> 'sort', 'default');
  v_kw text := nullif(trim(coalesce(p ->> 'keyword', '')), '');
  v_cat text := nullif(p ->> 'categoryId', '');
  v_items jsonb;
  v_count integer;
begin
  with rows as (
    select l, app.listing_price(l.kind, l.id) as price
    from app.listings l
    where l.on_sale
      and (v_cat is null or l.category_id = v_cat or l.category_id in (select id from app.categories where parent_id = v_cat))
      and (v_kw is null or l.title ilike '%' || replace(replace(v_kw, '%', '\%'), '_', '\_') || '%')
  ), ordered as (
    select r.*, row_number() over (order by
      case when v_sort = 'sales' then -(r.l).sales end,
      case when v_sort = 'priceAsc' then r.price end,
      case when v_sort = 'priceDesc' then -r.price end,
      (r.l).sort, (r.l).id) as n
    from rows r
  )
  select coalesce(jsonb_agg(app.product_card(o.l) order by o.n) filter (where o.n > v_offset and o.n <= v_offset + v_limit), '[]'),
         count(*)
  into v_items, v_count
  from ordered o;
  return jsonb_build_object('items', v_items,
    'nextCursor', case when v_count > v_offset + v_limit then (v_offset + v_limit)::text end);
end
$$;

create or replace function api.catalog_product(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  l app.listings;
  v_store jsonb;
  v_price bigint;
begin
  select * into l from app.listings where id = p ->> 'productId' and on_sale;
  if not found then
    perform app.not_found('productId', '商品不存在或已下架');
  end if;
  v_price := app.listing_price(l.kind, l.id);
  if l.kind = 'storeProduct' then
    select jsonb_build_object('id', s.store_id, 'name', s.name) into v_store
    from catalog.store_products sp join app.stores s on s.store_id = sp.store_id where sp.id = l.id;
  end if;
  return jsonb_build_object(
    'product', app.product_card(l) || jsonb_build_object(
      'images', to_jsonb(l.images), 'description', l.description, 'stock', l.stock, 'store', v_store),
    'queue', app.queue_preview(l.kind, l.id, v_price, members.current_member_id()));
end
$$;

create or replace function api.cashier_info(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  r record;
begin
  select c.id, coalesce(ac.name, c.id) as name, c.store_id, coalesce(s.name, c.store_id) as store_name, s.logo, s.address
  into r
  from catalog.cashiers c left join app.cashiers ac on ac.cashier_id = c.id left join app.stores s on s.store_id = c.store_id
  where c.id = p ->> 'cashierId';
  if not found then
    perform app.not_found('cashierId', '收银台不存在');
  end if;
  return jsonb_build_object(
    'cashier', jsonb_build_object('id', r.id, 'name', r.name, 'storeId', r.store_id, 'storeName', r.store_name,
                                  'storeLogo', r.logo, 'storeAddress', r.address),
    'queue', app.queue_preview('cashier', r.id, 10000, members.current_member_id()));
end
$$;
