-- Admin actions: categories, products (self-operated / supplier / supply
-- chain, with cost or supply price, stock, on/off sale, images, the
-- per-product {Q}), bulk listing of supply-chain products, banners and the
-- notice, image uploads (authorized and audited here; the bytes go to
-- storage from the edge function). Prices, costs and {Q} stay in
-- catalog.products, written only through catalog.upsert_product (0004), so
-- the engine validates them; the display side is app.listings.

create table app.suppliers (
  id text primary key check (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  name text not null check (char_length(name) between 1 and 40),
  contact_name text not null default '' check (char_length(contact_name) <= 20),
  phone text not null default '' check (char_length(phone) <= 20),
  note text not null default '' check (char_length(note) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app.suppliers enable row level security;
-- No policy: suppliers are the console's business, never the shop's.
revoke all on app.suppliers from public, anon, authenticated;

-- Which supplier delivers a product. Beside app.listings, which shoppers
-- read: the supplier is not the shop's business.
create table app.product_suppliers (
  product_id text primary key references catalog.products (id),
  supplier_id text not null references app.suppliers (id)
);
create index product_suppliers_supplier on app.product_suppliers (supplier_id);
alter table app.product_suppliers enable row level security;
revoke all on app.product_suppliers from public, anon, authenticated;

-- ---------------------------------------------------------------- helpers

create or replace function ops.product_json(p_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', l.id, 'title', l.title, 'source', l.source, 'categoryId', l.category_id,
    'price', c.price, 'marketPrice', l.market_price, 'cost', c.cost,
    'supplierId', (select ps.supplier_id from app.product_suppliers ps where ps.product_id = l.id),
    'stock', l.stock, 'sales', l.sales, 'onSale', l.on_sale, 'recommended', l.recommended, 'sort', l.sort,
    'images', to_jsonb(l.images), 'description', l.description, 'queue', c.queue,
    'createdAt', l.created_at, 'updatedAt', greatest(l.updated_at, c.updated_at))
  from app.listings l join catalog.products c on c.id = l.id
  where l.id = p_id and l.kind = 'product'
$$;

/** Checks an optional reference: absent / null is fine, an unknown id is bad input on p_field. */
create or replace function ops.expect_ref(p_value jsonb, p_field text, p_table text) returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v text;
  v_found boolean;
begin
  if p_value is null or jsonb_typeof(p_value) = 'null' then
    return null;
  end if;
  v := util.expect_id(p_value, p_field);
  execute format('select exists (select 1 from %s where id = $1)', p_table) into v_found using v;
  if not v_found then
    perform util.fail(p_field, 'unknown id');
  end if;
  return v;
end
$$;

/** A picture the shop shows (product image, category icon, banner): absolute http(s) or site-relative, never javascript: or data:. */
create or replace function ops.expect_picture_url(p_value jsonb, p_field text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if util.expect_string(p_value, p_field, 500) !~ '^(https?://|/)\S*$' then
    perform util.fail(p_field, 'must be an image URL');
  end if;
  return p_value #>> '{}';
end
$$;

/** Where a banner leads: a page of the mini-program ("/packages/...?id=..."), opened with navigateTo. */
create or replace function ops.expect_app_path(p_value jsonb, p_field text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  if util.expect_string(p_value, p_field, 200) !~ '^/[A-Za-z0-9_/-]+(\?[^[:space:][:cntrl:]]*)?$' then
    perform util.fail(p_field, 'must be a page of the mini-program (/packages/...)');
  end if;
  return p_value #>> '{}';
end
$$;

/** Image URLs: absolute http(s) or site-relative, at most 9. */
create or replace function ops.expect_images(p_value jsonb, p_field text) returns text[]
language plpgsql immutable
set search_path = ''
as $$
declare
  r record;
begin
  if p_value is null or jsonb_typeof(p_value) = 'null' then
    return '{}';
  end if;
  perform util.expect_array(p_value, p_field, 9);
  for r in select value, ord - 1 as i from jsonb_array_elements(p_value) with ordinality t(value, ord) loop
    perform ops.expect_picture_url(r.value, util.join(p_field, r.i::int));
  end loop;
  return array(select jsonb_array_elements_text(p_value));
end
$$;

/**
 * Creates (no id) or updates a product: the engine's catalog.upsert_product
 * for price, cost and {Q}, app.listings for the rest. A new product without
 * `queue.enabled` gets the base setting newProductsDefaultOn. Returns the
 * product (AdminProduct). No permission check: callers authorize.
 */
create or replace function ops.product_save(p jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_id text;
  v_new boolean;
  v_source text;
  v_queue jsonb;
  v_category text;
  v_supplier text;
  v_title text;
begin
  perform util.expect_object(p, 'product');
  perform util.only_keys(p, array['id', 'title', 'source', 'categoryId', 'price', 'marketPrice', 'cost', 'supplierId',
                                  'stock', 'onSale', 'recommended', 'sort', 'images', 'description', 'queue'], '');
  if ops.has(p, 'id') then
    v_id := util.expect_id(p -> 'id', 'id');
    v_new := not exists (select 1 from catalog.products where id = v_id);
    if v_new then
      perform app.not_found('id', '商品不存在');
    end if;
    if not exists (select 1 from app.listings where id = v_id and kind = 'product') then
      perform app.not_found('id', '商品不存在');
    end if;
  else
    v_new := true;
    v_id := 'p' || lower(app.random_code(10));
  end if;
  v_title := util.expect_string(p -> 'title', 'title', 60);
  if trim(v_title) = '' then perform util.fail('title', 'must not be empty'); end if;
  v_source := util.expect_enum(p -> 'source', array['self', 'supplier', 'supplyChain'], 'source');
  v_category := ops.expect_ref(p -> 'categoryId', 'categoryId', 'app.categories');
  v_supplier := ops.expect_ref(p -> 'supplierId', 'supplierId', 'app.suppliers');
  if v_source = 'self' and v_supplier is not null then
    perform util.fail('supplierId', 'only for supplier products');
  end if;
  v_queue := ops.queue_or_kept(p, case when not v_new then (select queue from catalog.products where id = v_id) end);
  if v_new and jsonb_typeof(v_queue) = 'object' and not v_queue ? 'enabled' then
    v_queue := v_queue || jsonb_build_object('enabled', coalesce((rebate.current_settings() -> 'newProductsDefaultOn')::boolean, true));
  end if;
  -- The supplier is credited the cost at completion (0012_settlement.sql): the given one, else the
  -- one on file (supplierId omitted), else the product id.
  perform catalog.upsert_product(jsonb_build_object('id', v_id, 'price', p -> 'price',
    'source', case when v_source = 'self' then 'self' else 'supplier' end, 'cost', p -> 'cost', 'queue', v_queue)
    || jsonb_strip_nulls(jsonb_build_object('supplier', coalesce(v_supplier,
         case when not p ? 'supplierId' and v_source <> 'self' then (select ps.supplier_id from app.product_suppliers ps where ps.product_id = v_id) end))));
  perform util.expect_count(p -> 'stock', 'stock', 10000000);
  insert into app.listings (id, kind, source, title, images, description, category_id, market_price, stock, on_sale,
                            recommended, sort)
  values (v_id, 'product', v_source, trim(v_title), ops.expect_images(p -> 'images', 'images'),
          coalesce(ops.opt_string(p, 'description', 'description', 2000), ''), v_category,
          case when ops.has(p, 'marketPrice') then util.expect_fen(p -> 'marketPrice', 'marketPrice') end,
          (p ->> 'stock')::int,
          case when ops.has(p, 'onSale') then util.expect_boolean(p -> 'onSale', 'onSale') else true end,
          case when ops.has(p, 'recommended') then util.expect_boolean(p -> 'recommended', 'recommended') else false end,
          case when ops.has(p, 'sort') then util.expect_count(p -> 'sort', 'sort', 100000) else 0 end)
  on conflict (id) do update
    set source = excluded.source, title = excluded.title,
        images = case when p ? 'images' then excluded.images else app.listings.images end,
        description = case when p ? 'description' then excluded.description else app.listings.description end,
        category_id = case when p ? 'categoryId' then excluded.category_id else app.listings.category_id end,
        market_price = case when p ? 'marketPrice' then excluded.market_price else app.listings.market_price end,
        stock = excluded.stock,
        on_sale = case when ops.has(p, 'onSale') then excluded.on_sale else app.listings.on_sale end,
        recommended = case when ops.has(p, 'recommended') then excluded.recommended else app.listings.recommended end,
        sort = case when ops.has(p, 'sort') then excluded.sort else app.listings.sort end,
        updated_at = now();
  if v_supplier is not null then
    insert into app.product_suppliers (product_id, supplier_id) values (v_id, v_supplier)
    on conflict (product_id) do update set supplier_id = excluded.supplier_id;
  elsif p ? 'supplierId' or v_source = 'self' then
    delete from app.product_suppliers where product_id = v_id;
  end if;
  return ops.product_json(v_id);
end
$$;

/** The §4 ratio chain of a mall product, spelled out: each source in order, its value, the one a plain shopper gets. */
create or replace function ops.product_ratio_chain(p_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  with q as (select queue from catalog.products where id = p_id),
       s as (select rebate.current_settings() as v),
       steps(n, source, label, value) as (
         select 1, 'productMemberLevel', '商品：会员等级比例', nullif(q.queue -> 'memberLevelRatios', '{}') from q
         union all select 2, 'baseMemberLevel', '基础设置：会员等级比例', nullif(s.v -> 'memberLevelRatios', '{}') from s
         union all select 3, 'productTiers', '商品：累计消费阶梯', nullif(q.queue -> 'cumulativeTiers', '[]') from q
         union all select 4, 'productLottery', '商品：抽奖', nullif(q.queue -> 'lottery', 'null') from q
         union all select 5, 'baseLottery', '基础设置：抽奖', nullif(s.v -> 'lottery', 'null') from s
         union all select 6, 'productIndependent', '商品：独立比例', q.queue -> 'independentRatio' from q
         union all select 7, 'baseDefault', '基础设置：默认比例', s.v -> 'defaultRatio' from s)
  select coalesce(jsonb_agg(jsonb_build_object(
           'source', source, 'label', label,
           'value', case when jsonb_typeof(value) in ('string', 'object') and source not in ('productTiers', 'productLottery', 'baseLottery')
                         then value
                         when value is not null then to_jsonb(value::text) end,
           'applies', n = (select min(n) from steps where n >= 6 and value is not null)) order by n), '[]')
  from steps
$$;

-- ---------------------------------------------------------------- categories

create or replace function ops.category_json(c app.categories) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', c.id, 'name', c.name, 'icon', c.icon, 'parentId', c.parent_id, 'sort', c.sort,
    'productCount', (select count(*) from app.listings l where l.category_id = c.id))
$$;

create or replace function admin.catalog_categories(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewCatalog');
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.category_json(c) order by c.sort, c.id) from app.categories c), '[]'));
end
$$;

create or replace function admin.catalog_category_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_before jsonb;
  c app.categories;
  v_parent text;
begin
  perform ops.authorize('canEditCatalog');
  v_id := case when ops.has(p, 'id') then util.expect_id(p -> 'id', 'id') else 'cat' || lower(app.random_code(8)) end;
  select ops.category_json(x) into v_before from app.categories x where x.id = v_id;
  v_parent := ops.expect_ref(p -> 'parentId', 'parentId', 'app.categories');
  if v_parent = v_id then perform util.fail('parentId', 'must not be the category itself'); end if;
  if char_length(trim(coalesce(util.expect_string(p -> 'name', 'name', 20), ''))) = 0 then
    perform util.fail('name', 'must not be empty');
  end if;
  insert into app.categories (id, name, icon, parent_id, sort)
  values (v_id, trim(p ->> 'name'), case when ops.has(p, 'icon') then ops.expect_picture_url(p -> 'icon', 'icon') end, v_parent,
          case when ops.has(p, 'sort') then util.expect_count(p -> 'sort', 'sort', 100000) else 0 end)
  on conflict (id) do update set name = excluded.name, icon = excluded.icon, parent_id = excluded.parent_id, sort = excluded.sort
  returning * into c;
  perform ops.audit('catalog.categorySave', 'category', v_id, v_before, ops.category_json(c));
  return jsonb_build_object('category', ops.category_json(c));
end
$$;

create or replace function admin.catalog_category_delete(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c app.categories;
begin
  perform ops.authorize('canEditCatalog');
  select * into c from app.categories where id = p ->> 'id' for update;
  if not found then perform app.not_found('id', '类目不存在'); end if;
  if exists (select 1 from app.listings where category_id = c.id) or exists (select 1 from app.categories where parent_id = c.id) then
    perform app.conflict('类目下还有商品或子类目', 'conflict', 'id');
  end if;
  delete from app.categories where id = c.id;
  perform ops.audit('catalog.categoryDelete', 'category', c.id, ops.category_json(c), null);
  return jsonb_build_object('ok', true);
end
$$;

-- ---------------------------------------------------------------- products

create or replace function admin.catalog_products(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_kw text := ops.opt_text(p, 'keyword');
  v_items jsonb;
  v_total bigint;
begin
  perform ops.authorize('canViewCatalog');
  pg := ops.page(p);
  with f as (
    select l.id, l.sort from app.listings l
    where l.kind = 'product'
      and (v_kw is null or l.title ilike '%' || v_kw || '%' or l.id = v_kw)
      and (ops.opt_text(p, 'categoryId') is null or l.category_id = p ->> 'categoryId')
      and (ops.opt_text(p, 'source') is null or l.source = p ->> 'source')
      and (ops.opt_text(p, 'supplierId') is null
           or exists (select 1 from app.product_suppliers ps where ps.product_id = l.id and ps.supplier_id = p ->> 'supplierId'))
      and (jsonb_typeof(p -> 'onSale') is distinct from 'boolean' or l.on_sale = (p ->> 'onSale')::boolean))
  select (select count(*) from f),
         coalesce((select jsonb_agg(ops.product_json(x.id) order by x.sort, x.id)
                   from (select * from f order by sort, id limit pg.lim offset pg.off) x), '[]')
  into v_total, v_items;
  return jsonb_build_object('items', v_items, 'total', v_total);
end
$$;

create or replace function admin.catalog_product(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v jsonb;
begin
  perform ops.authorize('canViewCatalog');
  v := ops.product_json(p ->> 'id');
  if v is null then perform app.not_found('id', '商品不存在'); end if;
  return jsonb_build_object('product', v, 'ratioChain', ops.product_ratio_chain(p ->> 'id'));
end
$$;

create or replace function admin.catalog_product_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before jsonb;
  v_after jsonb;
begin
  perform ops.authorize('canEditCatalog');
  if p ? 'id' then
    v_before := ops.product_json(p ->> 'id');
  end if;
  v_after := ops.product_save(p);
  perform ops.audit('catalog.productSave', 'product', v_after ->> 'id', v_before, v_after);
  return jsonb_build_object('product', v_after);
end
$$;

create or replace function admin.catalog_products_set_on_sale(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_on boolean;
  v_count integer := 0;
begin
  perform ops.authorize('canEditCatalog');
  perform util.expect_array(p -> 'ids', 'ids', 200);
  v_on := util.expect_boolean(p -> 'onSale', 'onSale');
  for r in select value #>> '{}' as id, ord - 1 as i from jsonb_array_elements(p -> 'ids') with ordinality t(value, ord) loop
    if not exists (select 1 from app.listings where id = r.id and kind = 'product') then
      perform app.not_found('ids[' || r.i || ']', '商品不存在');
    end if;
    update app.listings set on_sale = v_on, updated_at = now() where id = r.id and on_sale <> v_on;
    if found then
      v_count := v_count + 1;
      perform ops.audit('catalog.productsSetOnSale', 'product', r.id, jsonb_build_object('onSale', not v_on), jsonb_build_object('onSale', v_on));
    end if;
  end loop;
  return jsonb_build_object('updated', v_count);
end
$$;

/**
 * 供应链批量上架: p.rows = [{row, data}] (rows the edge function's schema
 * accepted). Each row is created in its own subtransaction: a row the
 * database refuses is reported with its field, the others are created.
 */
create or replace function admin.catalog_bulk_create(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_product jsonb;
  v_created jsonb := '[]';
  v_errors jsonb := '[]';
  v_col text;
  v_msg text;
  v_row integer;
begin
  perform ops.authorize('canEditCatalog');
  perform util.expect_array(p -> 'rows', 'rows', 500);
  for r in select value from jsonb_array_elements(p -> 'rows') loop
    v_row := util.expect_count(r.value -> 'row', 'rows.row', 100000);
    begin
      perform util.expect_object(r.value -> 'data', 'data');
      v_product := ops.product_save(jsonb_strip_nulls(jsonb_build_object(
        'title', r.value #> '{data,title}', 'source', 'supplyChain', 'price', r.value #> '{data,price}',
        'cost', r.value #> '{data,cost}', 'stock', r.value #> '{data,stock}',
        'supplierId', r.value #> '{data,supplierId}', 'categoryId', r.value #> '{data,categoryId}',
        'marketPrice', r.value #> '{data,marketPrice}', 'description', r.value #> '{data,description}',
        'images', case when jsonb_typeof(r.value #> '{data,image}') = 'string' then jsonb_build_array(r.value #> '{data,image}') end)));
      perform ops.audit('catalog.bulkCreate', 'product', v_product ->> 'id', null, v_product);
      v_created := v_created || jsonb_build_object('row', v_row, 'id', v_product ->> 'id');
    exception when sqlstate '22023' or sqlstate 'P0002' or sqlstate '23514' then
      get stacked diagnostics v_col = column_name, v_msg = message_text;
      v_errors := v_errors || jsonb_build_object('row', v_row, 'field', coalesce(nullif(v_col, ''), 'row'),
        'message', case when v_col <> '' and v_msg like v_col || ': %' then substr(v_msg, char_length(v_col) + 3) else v_msg end);
    end;
  end loop;
  return jsonb_build_object('created', v_created, 'errors', v_errors);
end
$$;

-- ---------------------------------------------------------------- home content

create or replace function admin.catalog_home(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewCatalog');
  return jsonb_build_object(
    'banners', coalesce((select value from app.site_content where key = 'banners'), '[]'),
    'notice', (select value #>> '{}' from app.site_content where key = 'notice'));
end
$$;

create or replace function admin.catalog_home_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  v_path text;
  v_before jsonb;
  v_after jsonb;
begin
  perform ops.authorize('canEditCatalog');
  perform util.expect_array(p -> 'banners', 'banners', 10);
  for r in select value, ord - 1 as i from jsonb_array_elements(p -> 'banners') with ordinality t(value, ord) loop
    v_path := util.join('banners', r.i::int);
    perform util.expect_object(r.value, v_path);
    perform util.only_keys(r.value, array['id', 'image', 'title', 'link'], v_path);
    perform util.expect_id(r.value -> 'id', util.join(v_path, 'id'));
    perform ops.expect_picture_url(r.value -> 'image', util.join(v_path, 'image'));
    if ops.opt_string(r.value, 'title', util.join(v_path, 'title'), 40) is null then
      perform util.fail(util.join(v_path, 'title'), 'must be a string');
    end if;
    if ops.has(r.value, 'link') then perform ops.expect_app_path(r.value -> 'link', util.join(v_path, 'link')); end if;
  end loop;
  perform ops.opt_string(p, 'notice', 'notice', 200);
  v_before := jsonb_build_object('banners', (select value from app.site_content where key = 'banners'),
                                 'notice', (select value from app.site_content where key = 'notice'));
  insert into app.site_content (key, value, updated_at) values ('banners', p -> 'banners', now()), ('notice', coalesce(p -> 'notice', 'null'), now())
  on conflict (key) do update set value = excluded.value, updated_at = now();
  v_after := jsonb_build_object('banners', p -> 'banners', 'notice', coalesce(p -> 'notice', 'null'));
  perform ops.audit('catalog.homeSave', 'home', null, v_before, v_after);
  return jsonb_build_object('banners', p -> 'banners', 'notice', p ->> 'notice');
end
$$;

-- ---------------------------------------------------------------- uploads

/** Authorizes and audits an image upload (the edge function stores the bytes in the same transaction). */
create or replace function admin.uploads_image(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canEditCatalog');
  perform util.expect_string(p -> 'bucket', 'bucket', 63);
  perform util.expect_string(p -> 'path', 'path', 300);
  perform ops.audit('uploads.image', 'image', p ->> 'bucket' || '/' || (p ->> 'path'), null,
    jsonb_build_object('fileName', p ->> 'fileName', 'size', p -> 'size', 'contentType', p ->> 'contentType'));
  return jsonb_build_object('ok', true);
end
$$;
