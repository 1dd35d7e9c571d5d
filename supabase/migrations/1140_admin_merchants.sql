-- Admin actions: merchant applications and their review (app.review_merchant
-- of 1046, shared with the api's member operators), stores, store products
-- and cashiers each with its own {Q} (written through the engine's
-- catalog.upsert_store / upsert_store_product / upsert_cashier), the cashier
-- QR payload, suppliers.

create or replace function ops.application_json(a app.merchant_applications) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('applicationId', a.id, 'memberId', a.member_id, 'memberName', ops.member_name(a.member_id),
    'storeName', a.store_name, 'contactName', a.contact_name, 'phone', a.phone, 'address', a.address, 'category', a.category,
    'licenseNo', a.license_no, 'intro', a.intro, 'recruiterId', a.recruiter_member_id, 'status', a.status,
    'rejectReason', a.reject_reason, 'storeId', a.store_id, 'createdAt', a.created_at, 'reviewedAt', a.reviewed_at)
$$;

create or replace function admin.merchants_applications(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_status text := ops.opt_text(p, 'status');
begin
  perform ops.authorize('canViewMerchants');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.application_json(a) order by a.created_at desc, a.id)
                       from (select * from app.merchant_applications a where v_status is null or a.status = v_status
                             order by a.created_at desc, a.id limit pg.lim offset pg.off) a), '[]'),
    'total', (select count(*) from app.merchant_applications a where v_status is null or a.status = v_status));
end
$$;

create or replace function admin.merchants_review(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r jsonb;
begin
  perform ops.authorize('canReviewMerchants');
  if ops.has(p, 'commission') then
    perform util.expect_ratio(p -> 'commission', 'commission');
  end if;
  r := app.review_merchant(p);
  perform ops.audit('merchants.review', 'merchantApplication', p ->> 'applicationId', jsonb_build_object('status', 'pending'),
    r || jsonb_strip_nulls(jsonb_build_object('commission', p -> 'commission', 'reason', p -> 'reason')));
  return r;
end
$$;

-- ---------------------------------------------------------------- stores

create or replace function ops.store_json(p_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', c.id, 'name', coalesce(s.name, c.id), 'logo', s.logo, 'address', s.address, 'phone', s.phone,
    'commission', util.ratio_text(c.commission), 'recruiterId', c.recruiter_id, 'ownerMemberId', s.owner_member_id,
    'queue', c.queue, 'cashierCount', (select count(*) from catalog.cashiers x where x.store_id = c.id),
    'productCount', (select count(*) from catalog.store_products x where x.store_id = c.id), 'createdAt', c.created_at)
  from catalog.stores c left join app.stores s on s.store_id = c.id
  where c.id = p_id
$$;

create or replace function admin.merchants_stores(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  pg record;
  v_kw text := ops.opt_text(p, 'keyword');
begin
  perform ops.authorize('canViewMerchants');
  pg := ops.page(p);
  return jsonb_build_object(
    'items', coalesce((select jsonb_agg(ops.store_json(x.id) order by x.created_at desc, x.id)
                       from (select c.id, c.created_at from catalog.stores c left join app.stores s on s.store_id = c.id
                             where v_kw is null or c.id = v_kw or s.name ilike '%' || v_kw || '%'
                             order by c.created_at desc, c.id limit pg.lim offset pg.off) x), '[]'),
    'total', (select count(*) from catalog.stores c left join app.stores s on s.store_id = c.id
              where v_kw is null or c.id = v_kw or s.name ilike '%' || v_kw || '%'));
end
$$;

create or replace function admin.merchants_store_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  c catalog.stores;
  v_before jsonb;
begin
  perform ops.authorize('canEditMerchants');
  if ops.has(p, 'id') then
    v_id := util.expect_id(p -> 'id', 'id');
    select * into c from catalog.stores where id = v_id for update;
    if not found then perform app.not_found('id', '门店不存在'); end if;
    v_before := ops.store_json(v_id);
  else
    v_id := 's' || lower(app.random_code(10));
  end if;
  perform catalog.upsert_store(jsonb_strip_nulls(jsonb_build_object('id', v_id, 'commission', p -> 'commission',
    'recruiter', c.recruiter_id,
    'queue', ops.queue_or_kept(p, c.queue))));
  insert into app.stores (store_id, name, logo, address, phone)
  values (v_id, trim(util.expect_string(p -> 'name', 'name', 40)), ops.opt_string(p, 'logo', 'logo', 500),
          ops.opt_string(p, 'address', 'address', 100), ops.opt_string(p, 'phone', 'phone', 20))
  on conflict (store_id) do update
    set name = excluded.name,
        logo = case when p ? 'logo' then excluded.logo else app.stores.logo end,
        address = case when p ? 'address' then excluded.address else app.stores.address end,
        phone = case when p ? 'phone' then excluded.phone else app.stores.phone end;
  perform ops.audit('merchants.storeSave', 'store', v_id, v_before, ops.store_json(v_id));
  return jsonb_build_object('store', ops.store_json(v_id));
end
$$;

-- ---------------------------------------------------------------- store products

create or replace function ops.store_product_json(p_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', c.id, 'storeId', c.store_id, 'title', coalesce(l.title, c.id), 'price', c.price, 'cost', c.cost,
    'stock', coalesce(l.stock, 0), 'onSale', coalesce(l.on_sale, false), 'images', to_jsonb(coalesce(l.images, '{}')),
    'description', coalesce(l.description, ''), 'queue', c.queue)
  from catalog.store_products c left join app.listings l on l.id = c.id
  where c.id = p_id
$$;

create or replace function admin.merchants_store_products(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewMerchants');
  if not exists (select 1 from catalog.stores where id = p ->> 'storeId') then perform app.not_found('storeId', '门店不存在'); end if;
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.store_product_json(c.id) order by c.created_at, c.id)
                                               from catalog.store_products c where c.store_id = p ->> 'storeId'), '[]'));
end
$$;

create or replace function admin.merchants_store_product_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  c catalog.store_products;
  v_before jsonb;
  v_store text;
begin
  perform ops.authorize('canEditMerchants');
  v_store := util.expect_id(p -> 'storeId', 'storeId');
  if not exists (select 1 from catalog.stores where id = v_store) then perform app.not_found('storeId', '门店不存在'); end if;
  if ops.has(p, 'id') then
    v_id := util.expect_id(p -> 'id', 'id');
    select * into c from catalog.store_products where id = v_id for update;
    if not found then perform app.not_found('id', '门店商品不存在'); end if;
    if c.store_id <> v_store then perform util.fail('storeId', 'must be the product''s store'); end if;
    v_before := ops.store_product_json(v_id);
  else
    v_id := 'sp' || lower(app.random_code(10));
  end if;
  perform catalog.upsert_store_product(jsonb_build_object('id', v_id, 'store', v_store, 'price', p -> 'price', 'cost', p -> 'cost',
    'queue', ops.queue_or_kept(p, c.queue)));
  perform util.expect_count(p -> 'stock', 'stock', 10000000);
  if char_length(trim(util.expect_string(p -> 'title', 'title', 60))) = 0 then perform util.fail('title', 'must not be empty'); end if;
  insert into app.listings (id, kind, source, title, images, description, stock, on_sale)
  values (v_id, 'storeProduct', 'store', trim(p ->> 'title'), ops.expect_images(p -> 'images', 'images'),
          coalesce(ops.opt_string(p, 'description', 'description', 2000), ''), (p ->> 'stock')::int,
          case when ops.has(p, 'onSale') then util.expect_boolean(p -> 'onSale', 'onSale') else true end)
  on conflict (id) do update
    set title = excluded.title,
        images = case when p ? 'images' then excluded.images else app.listings.images end,
        description = case when p ? 'description' then excluded.description else app.listings.description end,
        stock = excluded.stock,
        on_sale = case when ops.has(p, 'onSale') then excluded.on_sale else app.listings.on_sale end,
        updated_at = now();
  perform ops.audit('merchants.storeProductSave', 'storeProduct', v_id, v_before, ops.store_product_json(v_id));
  return jsonb_build_object('product', ops.store_product_json(v_id));
end
$$;

-- ---------------------------------------------------------------- cashiers

create or replace function ops.cashier_json(p_id text) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', c.id, 'storeId', c.store_id, 'name', coalesce(a.name, c.id), 'queue', c.queue)
  from catalog.cashiers c left join app.cashiers a on a.cashier_id = c.id
  where c.id = p_id
$$;

create or replace function admin.merchants_cashiers(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewMerchants');
  if not exists (select 1 from catalog.stores where id = p ->> 'storeId') then perform app.not_found('storeId', '门店不存在'); end if;
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.cashier_json(c.id) order by c.created_at, c.id)
                                               from catalog.cashiers c where c.store_id = p ->> 'storeId'), '[]'));
end
$$;

create or replace function admin.merchants_cashier_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  c catalog.cashiers;
  v_before jsonb;
  v_store text;
begin
  perform ops.authorize('canEditMerchants');
  v_store := util.expect_id(p -> 'storeId', 'storeId');
  if not exists (select 1 from catalog.stores where id = v_store) then perform app.not_found('storeId', '门店不存在'); end if;
  if ops.has(p, 'id') then
    v_id := util.expect_id(p -> 'id', 'id');
    select * into c from catalog.cashiers where id = v_id for update;
    if not found then perform app.not_found('id', '收银台不存在'); end if;
    if c.store_id <> v_store then perform util.fail('storeId', 'must be the cashier''s store'); end if;
    v_before := ops.cashier_json(v_id);
  else
    v_id := 'c' || lower(app.random_code(10));
  end if;
  perform catalog.upsert_cashier(jsonb_build_object('id', v_id, 'store', v_store,
    'queue', ops.queue_or_kept(p, c.queue)));
  insert into app.cashiers (cashier_id, name) values (v_id, trim(util.expect_string(p -> 'name', 'name', 40)))
  on conflict (cashier_id) do update set name = excluded.name;
  perform ops.audit('merchants.cashierSave', 'cashier', v_id, v_before, ops.cashier_json(v_id));
  return jsonb_build_object('cashier', ops.cashier_json(v_id));
end
$$;

/** The cashier's QR scene (the edge function adds the page, the H5 URL and the mini-program code). */
create or replace function admin.merchants_cashier_code(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewMerchants');
  if not exists (select 1 from catalog.cashiers where id = p ->> 'cashierId') then perform app.not_found('cashierId', '收银台不存在'); end if;
  -- Same scene as the merchant's own codes (api merchant.cashiers): "c=<id>", at most 32 characters.
  return jsonb_build_object('cashierId', p ->> 'cashierId', 'scene', left('c=' || (p ->> 'cashierId'), 32));
end
$$;

-- ---------------------------------------------------------------- suppliers

create or replace function ops.supplier_json(s app.suppliers) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', s.id, 'name', s.name, 'contactName', s.contact_name, 'phone', s.phone, 'note', s.note,
    'productCount', (select count(*) from app.product_suppliers ps where ps.supplier_id = s.id))
$$;

create or replace function admin.merchants_suppliers(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  perform ops.authorize('canViewMerchants');
  return jsonb_build_object('items', coalesce((select jsonb_agg(ops.supplier_json(s) order by s.created_at, s.id) from app.suppliers s), '[]'));
end
$$;

create or replace function admin.merchants_supplier_save(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  v_before jsonb;
  s app.suppliers;
begin
  perform ops.authorize('canEditMerchants');
  if ops.has(p, 'id') then
    v_id := util.expect_id(p -> 'id', 'id');
    select ops.supplier_json(x) into v_before from app.suppliers x where x.id = v_id;
    if v_before is null then perform app.not_found('id', '供应商不存在'); end if;
  else
    v_id := 'sup' || lower(app.random_code(8));
  end if;
  insert into app.suppliers (id, name, contact_name, phone, note)
  values (v_id, trim(util.expect_string(p -> 'name', 'name', 40)), coalesce(ops.opt_string(p, 'contactName', 'contactName', 20), ''),
          coalesce(ops.opt_string(p, 'phone', 'phone', 20), ''), coalesce(ops.opt_string(p, 'note', 'note', 200), ''))
  on conflict (id) do update
    set name = excluded.name,
        contact_name = case when p ? 'contactName' then excluded.contact_name else app.suppliers.contact_name end,
        phone = case when p ? 'phone' then excluded.phone else app.suppliers.phone end,
        note = case when p ? 'note' then excluded.note else app.suppliers.note end,
        updated_at = now()
  returning * into s;
  perform ops.audit('merchants.supplierSave', 'supplier', v_id, v_before, ops.supplier_json(s));
  return jsonb_build_object('supplier', ops.supplier_json(s));
end
$$;
