-- Merchants: application, status, sales and cashier codes of the caller's store.

create or replace function api.merchant_apply(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  f text;
  v_recruiter text;
  v_id text;
begin
  foreach f in array array['storeName', 'contactName', 'phone', 'address', 'category', 'licenseNo'] loop
    if jsonb_typeof(p -> f) is distinct from 'string' or trim(p ->> f) = '' or char_length(p ->> f) > 100 then
      perform app.bad(f, '必填，100 字以内');
    end if;
  end loop;
  if (p ->> 'phone') !~ '^[0-9+\- ]{6,20}$' then
    perform app.bad('phone', '请输入有效的联系电话');
  end if;
  if char_length(coalesce(p ->> 'intro', '')) > 500 then
    perform app.bad('intro', '500 字以内');
  end if;
  if exists (select 1 from app.merchant_applications where member_id = v_me and status = 'pending') then
    perform app.conflict('已有审核中的申请', 'already_pending');
  end if;
  -- The promoter's merchant invite (the app sends its code as i=<code>): a code that names nobody, or
  -- the applicant, is refused rather than dropped, so an application never loses its recruiter silently.
  if p ->> 'recruiterScene' is not null then
    select member_id into v_recruiter from app.profiles
    where invite_code = substring(p ->> 'recruiterScene' from '^i=([A-Z0-9]{6,10})$');
    if v_recruiter is null then
      perform app.bad('recruiterScene', '推荐人邀请码无效');
    elsif v_recruiter = v_me then
      perform app.bad('recruiterScene', '不能填写自己的邀请码');
    end if;
  end if;
  v_id := app.new_id('M');
  insert into app.merchant_applications (id, member_id, store_name, contact_name, phone, address, category, license_no, intro, recruiter_member_id)
  values (v_id, v_me, trim(p ->> 'storeName'), trim(p ->> 'contactName'), trim(p ->> 'phone'), trim(p ->> 'address'),
          trim(p ->> 'category'), trim(p ->> 'licenseNo'), coalesce(p ->> 'intro', ''), v_recruiter);
  return jsonb_build_object('applicationId', v_id, 'status', 'pending');
end
$$;

create or replace function api.merchant_status(p jsonb default '{}') returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  a app.merchant_applications;
  v_store jsonb;
begin
  select * into a from app.merchant_applications where member_id = v_me order by created_at desc limit 1;
  select jsonb_build_object('id', s.store_id, 'name', s.name, 'commission', util.ratio_text(cs.commission)) into v_store
  from app.stores s join catalog.stores cs on cs.id = s.store_id where s.owner_member_id = v_me order by s.created_at limit 1;
  return jsonb_build_object(
    'status', case when v_store is not null then 'approved' else coalesce(a.status, 'none') end,
    'application', case when a.id is null then null else jsonb_build_object('applicationId', a.id, 'storeName', a.store_name,
        'contactName', a.contact_name, 'phone', a.phone, 'address', a.address, 'category', a.category,
        'licenseNo', a.license_no, 'intro', a.intro, 'createdAt', a.created_at) end,
    'rejectReason', a.reject_reason,
    'store', v_store);
end
$$;

/** The caller's store (raises 403 for non-merchants). */
create or replace function app.my_store() returns text
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v text;
begin
  select store_id into v from app.stores where owner_member_id = app.me() order by created_at limit 1;
  if v is null then
    raise exception using errcode = '42501', message = '仅入驻商家可查看', hint = 'forbidden';
  end if;
  return v;
end
$$;

create or replace function api.merchant_sales(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_store text;
  v_days integer := case p ->> 'range' when 'today' then 1 when '7d' then 7 when '30d' then 30 end;
  v_from date;
begin
  if v_days is null then
    perform app.bad('range', '须为 today、7d 或 30d');
  end if;
  v_store := app.my_store();
  v_from := (now() at time zone 'Asia/Shanghai')::date - (v_days - 1);
  return (
    with sales as (
      select o.id, o.kind, o.payable + o.points_deduction + o.love_deduction + o.coupon_deduction as amount, o.paid_at,
             (o.paid_at at time zone 'Asia/Shanghai')::date as day, o.member_id
      from app.orders o
      where o.store_id = v_store and o.status in ('paid', 'completed', 'refunding')
        and o.paid_at >= (v_from::timestamp at time zone 'Asia/Shanghai')
    )
    select jsonb_build_object(
      'totals', jsonb_build_object('orderCount', (select count(*) from sales), 'amount', (select coalesce(sum(amount), 0) from sales)),
      'daily', (select jsonb_agg(jsonb_build_object('date', to_char(d, 'YYYY-MM-DD'),
                   'orderCount', (select count(*) from sales where day = d),
                   'amount', (select coalesce(sum(amount), 0) from sales where day = d)) order by d)
                from generate_series(v_from, v_from + (v_days - 1), interval '1 day') g(dt), lateral (select g.dt::date as d) x),
      'recent', coalesce((select jsonb_agg(jsonb_build_object('orderId', s.id, 'source', case when s.kind = 'cashier' then 'cashier' else 'online' end,
                   'amount', s.amount, 'paidAt', s.paid_at,
                   'buyerMaskedName', app.mask_name((select nickname from app.profiles where member_id = s.member_id), s.member_id))
                   order by s.paid_at desc)
                from (select * from sales order by paid_at desc limit 20) s), '[]')));
end
$$;

create or replace function api.merchant_cashiers(p jsonb default '{}') returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object('cashierId', c.id, 'name', coalesce(ac.name, c.id)) order by c.id), '[]'))
  from catalog.cashiers c left join app.cashiers ac on ac.cashier_id = c.id
  where c.store_id = app.my_store()
$$;
