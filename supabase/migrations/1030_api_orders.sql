-- Checkout, WeChat payment confirmation, closing, completion and refunds.
-- Lock order everywhere: app.orders row, then app.payments / app.refunds,
-- then the ledger and the core (which lock their own rows in their order).

alter table app.orders add column core_settled boolean not null default false;

create or replace function app.new_id(p_prefix text) returns text
language sql volatile
set search_path = ''
as $$
  select p_prefix || to_char(now() at time zone 'Asia/Shanghai', 'YYMMDDHH24MISS')
         || lpad(floor(random() * 1000000)::int::text, 6, '0')
$$;

/** An instant as the core's validators want it (ISO 8601 with offset). */
create or replace function app.iso(p_at timestamptz) returns text
language sql immutable
set search_path = ''
as $$ select to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

/** Splits p_total over p_weights proportionally (largest remainder; ties to the earlier line). */
create or replace function app.split_amount(p_total bigint, p_weights bigint[]) returns bigint[]
language plpgsql immutable
set search_path = ''
as $$
declare
  v_sum bigint := 0;
  v_out bigint[] := '{}';
  v_rest bigint;
  r record;
begin
  select coalesce(sum(w), 0) into v_sum from unnest(p_weights) w;
  if v_sum = 0 or p_total = 0 then
    return array_fill(0::bigint, array[cardinality(p_weights)]);
  end if;
  for r in select w, i from unnest(p_weights) with ordinality as t(w, i) loop
    v_out := v_out || (p_total * r.w / v_sum);
  end loop;
  v_rest := p_total - (select sum(x) from unnest(v_out) x);
  for r in
    select i from unnest(p_weights) with ordinality as t(w, i)
    order by (p_total * w) % v_sum desc, i
    limit v_rest
  loop
    v_out[r.i] := v_out[r.i] + 1;
  end loop;
  return v_out;
end
$$;

/**
 * Prices a cart for a member: lines (listing, quantity), deductions taken
 * in the order coupon → points → love value (1 point / 1 love = 1 fen), and
 * what is left to pay. Validates every field; changes nothing.
 */
create or replace function app.price_cart(p_member text, p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_lines jsonb := '[]';
  v_raw jsonb;
  i integer;
  l app.listings;
  v_qty integer;
  v_price bigint;
  v_total bigint := 0;
  v_rest bigint;
  v_coupon_bal bigint := ledger.balance('coupons:' || p_member);
  v_points_bal bigint := ledger.balance('points:' || p_member);
  v_love_bal bigint := ledger.balance('love:' || p_member);
  v_coupon bigint := 0;
  v_points bigint := 0;
  v_love bigint := 0;
  v_split bigint[];
  v_out jsonb := '[]';
  v_store text;
  v_stores text[] := '{}';
  s jsonb := rebate.current_settings();
begin
  if jsonb_typeof(p -> 'lines') is distinct from 'array' or jsonb_array_length(p -> 'lines') = 0 then
    perform app.bad('lines', '请选择商品');
  end if;
  if jsonb_array_length(p -> 'lines') > 20 then
    perform app.bad('lines', '一次最多购买 20 种商品');
  end if;
  for v_raw, i in select value, (ord - 1)::int from jsonb_array_elements(p -> 'lines') with ordinality as t(value, ord) loop
    select * into l from app.listings where id = v_raw ->> 'productId' and on_sale;
    if not found then
      perform app.bad(format('lines[%s].productId', i), '商品不存在或已下架');
    end if;
    if exists (select 1 from jsonb_array_elements(v_lines) x where x ->> 'item' = l.id) then
      perform app.bad(format('lines[%s].productId', i), '同一商品请合并数量');
    end if;
    v_qty := case when jsonb_typeof(v_raw -> 'quantity') = 'number' and (v_raw ->> 'quantity') ~ '^[0-9]{1,3}$'
                  then (v_raw ->> 'quantity')::int end;
    if v_qty is null or v_qty < 1 or v_qty > 999 then
      perform app.bad(format('lines[%s].quantity', i), '数量须为 1 到 999 的整数');
    end if;
    if l.stock < v_qty then
      perform app.bad(format('lines[%s].quantity', i), format('库存不足（剩余 %s）', l.stock));
    end if;
    v_price := app.listing_price(l.kind, l.id);
    if v_price is null then
      perform app.bad(format('lines[%s].productId', i), '商品不存在或已下架');
    end if;
    if l.kind = 'storeProduct' then
      select store_id into v_store from catalog.store_products where id = l.id;
      v_stores := v_stores || v_store;
    else
      v_stores := v_stores || 'mall'::text;
    end if;
    v_lines := v_lines || jsonb_build_object('kind', l.kind, 'item', l.id, 'title', l.title, 'image', l.images[1],
      'price', v_price, 'quantity', v_qty, 'amount', v_price * v_qty);
    v_total := v_total + v_price * v_qty;
  end loop;
  if v_total > 10000000000 then
    perform app.bad('lines', '订单金额过大');
  end if;

  -- Required booleans: a missing key is bad input, not false.
  for i in 1..3 loop
    if jsonb_typeof(p -> (array['usePoints', 'useLove', 'useCoupon'])[i]) is distinct from 'boolean' then
      perform app.bad((array['usePoints', 'useLove', 'useCoupon'])[i], '须为 true 或 false');
    end if;
  end loop;
  v_rest := v_total;
  if coalesce((p ->> 'useCoupon')::boolean, false) then v_coupon := least(v_coupon_bal, v_rest); v_rest := v_rest - v_coupon; end if;
  if coalesce((p ->> 'usePoints')::boolean, false) then v_points := least(v_points_bal, v_rest); v_rest := v_rest - v_points; end if;
  if coalesce((p ->> 'useLove')::boolean, false) then v_love := least(v_love_bal, v_rest); v_rest := v_rest - v_love; end if;

  v_split := app.split_amount(v_coupon + v_points + v_love,
    array(select (x ->> 'amount')::bigint from jsonb_array_elements(v_lines) x));
  for v_raw, i in select value, ord::int from jsonb_array_elements(v_lines) with ordinality as t(value, ord) loop
    v_out := v_out || (v_raw || jsonb_build_object('deducted', v_split[i], 'paid', (v_raw ->> 'amount')::bigint - v_split[i]));
  end loop;
  return jsonb_build_object(
    'lines', v_out,
    'goodsTotal', v_total,
    'points', jsonb_build_object('balance', v_points_bal, 'used', v_points, 'deduction', v_points),
    'love', jsonb_build_object('balance', v_love_bal, 'used', v_love, 'deduction', v_love),
    'coupon', jsonb_build_object('balance', v_coupon_bal, 'deduction', v_coupon),
    'payable', v_rest,
    'deductionOrders', s ->> 'deductionOrders',
    -- The store of an order whose lines are all one store's products.
    'storeId', case when (select count(distinct x) from unnest(v_stores) x) = 1 and v_stores[1] <> 'mall' then v_stores[1] end);
end
$$;

create or replace function api.orders_preview(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  c jsonb := app.price_cart(v_me, p);
  s jsonb := rebate.current_settings();
  v_lines jsonb := '[]';
  x jsonb;
begin
  for x in select value from jsonb_array_elements(c -> 'lines') loop
    v_lines := v_lines || jsonb_build_object(
      'productId', x ->> 'item', 'title', x ->> 'title', 'image', x -> 'image', 'price', (x ->> 'price')::bigint,
      'quantity', (x ->> 'quantity')::int, 'paid', (x ->> 'paid')::bigint,
      'queue', case
        when s ->> 'deductionOrders' = 'noJoin' and (x ->> 'deducted')::bigint > 0
          then app.queue_preview(x ->> 'kind', x ->> 'item', (x ->> 'paid')::bigint, v_me) || '{"enabled": false}'
        else app.queue_preview(x ->> 'kind', x ->> 'item', (x ->> 'paid')::bigint, v_me) end);
  end loop;
  return jsonb_build_object('lines', v_lines, 'goodsTotal', c -> 'goodsTotal', 'points', c -> 'points', 'love', c -> 'love',
    'coupon', c -> 'coupon', 'payable', c -> 'payable', 'deductionOrders', c -> 'deductionOrders');
end
$$;

/** Moves deduction balances between a member and the per-currency hold accounts (sign +1 = hold). */
create or replace function app.move_deductions(p_key text, p_kind text, p_member text, o app.orders, p_from text, p_to text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  legs ledger.leg[] := '{}';
  -- Account code per currency at each end: 'member' | 'hold' | 'world'.
  r record;
begin
  for r in select * from (values
      ('POINTS', 'points:' || p_member, 'hold:points', 'world:POINTS', o.points_used),
      ('LOVE', 'love:' || p_member, 'hold:love', 'world:LOVE', o.love_used),
      ('COUPON', 'coupons:' || p_member, 'hold:coupons', 'world:COUPON', o.coupon_deduction)) as t(cur, mem, hold, world, amount)
    where amount > 0
  loop
    legs := legs
      || row(case p_from when 'member' then r.mem when 'hold' then r.hold else r.world end, r.cur, -r.amount)::ledger.leg
      || row(case p_to when 'member' then r.mem when 'hold' then r.hold else r.world end, r.cur, r.amount)::ledger.leg;
  end loop;
  if cardinality(legs) > 0 then
    perform ledger.transfer(p_key, p_kind, legs);
  end if;
end
$$;

/**
 * Creates an unpaid order (and its payment row when there is cash to pay),
 * reserving stock and holding the deductions. A fully deducted order is
 * settled at once. Returns what the edge function needs to prepay.
 */
create or replace function app.create_order(p_member text, p_kind text, p_cart jsonb, p_cashier text, p_platform text, p_remark text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  o app.orders;
  x jsonb;
  i integer;
  v_openid text;
  v_minutes integer := coalesce((select (value #>> '{}')::int from app.site_content where key = 'orderPayMinutes'), 30);
begin
  if p_platform is null or p_platform not in ('weapp', 'h5') then
    perform app.bad('platform', '须为 weapp 或 h5');
  end if;
  if char_length(coalesce(p_remark, '')) > 200 then
    perform app.bad('remark', '备注不能超过 200 字');
  end if;
  select openid into v_openid from app.profiles where member_id = p_member;
  insert into app.orders (id, member_id, kind, store_id, cashier_id, goods_total, points_used, points_deduction,
                          love_used, love_deduction, coupon_deduction, payable, remark, platform, expires_at)
  values (app.new_id('o'), p_member, p_kind,
          case when p_kind = 'cashier' then (select store_id from catalog.cashiers where id = p_cashier) else p_cart ->> 'storeId' end,
          p_cashier, (p_cart ->> 'goodsTotal')::bigint,
          (p_cart #>> '{points,used}')::bigint, (p_cart #>> '{points,deduction}')::bigint,
          (p_cart #>> '{love,used}')::bigint, (p_cart #>> '{love,deduction}')::bigint,
          (p_cart #>> '{coupon,deduction}')::bigint, (p_cart ->> 'payable')::bigint, coalesce(p_remark, ''), p_platform,
          now() + make_interval(mins => v_minutes))
  returning * into o;
  for x, i in select value, (ord - 1)::int from jsonb_array_elements(p_cart -> 'lines') with ordinality as t(value, ord) loop
    insert into app.order_lines (order_id, line, kind, item_id, title, image, price, quantity, amount, deducted, paid)
    values (o.id, i, x ->> 'kind', x ->> 'item', x ->> 'title', x ->> 'image', (x ->> 'price')::bigint,
            (x ->> 'quantity')::int, (x ->> 'amount')::bigint, (x ->> 'deducted')::bigint, (x ->> 'paid')::bigint);
    if p_kind = 'mall' then
      update app.listings set stock = stock - (x ->> 'quantity')::int, updated_at = now()
      where id = x ->> 'item' and stock >= (x ->> 'quantity')::int;
      if not found then
        perform app.bad(format('lines[%s].quantity', i), '库存不足');
      end if;
    end if;
  end loop;
  perform app.move_deductions('hold:' || o.id, 'deduction-hold', p_member, o, 'member', 'hold');
  if o.payable > 0 then
    insert into app.payments (out_trade_no, order_id, amount, payer_openid) values (o.id, o.id, o.payable, v_openid);
  else
    perform app.settle_order(o.id, now());
    select * into o from app.orders where id = o.id;
  end if;
  return jsonb_build_object('orderId', o.id, 'payable', o.payable, 'status', o.status, 'openid', v_openid,
    'description', left(coalesce((select string_agg(title, '、' order by line) from app.order_lines where order_id = o.id), '订单'), 120));
end
$$;

create or replace function api.orders_checkout(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  return app.create_order(v_me, 'mall', app.price_cart(v_me, p), null, p ->> 'platform', p ->> 'remark');
end
$$;

/** 扫码买单: an amount paid at a store's cashier. */
create or replace function api.cashier_checkout(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_amount bigint;
  v_name text;
begin
  select coalesce(ac.name, c.id) into v_name
  from catalog.cashiers c left join app.cashiers ac on ac.cashier_id = c.id where c.id = p ->> 'cashierId';
  if not found then
    perform app.not_found('cashierId', '收银台不存在');
  end if;
  if jsonb_typeof(p -> 'amount') is distinct from 'number' or (p ->> 'amount') !~ '^[0-9]{1,11}$' then
    perform app.bad('amount', '金额须为整数（分）');
  end if;
  v_amount := (p ->> 'amount')::bigint;
  if v_amount < 1 or v_amount > 5000000 then
    perform app.bad('amount', '单笔买单金额须在 0.01 至 50000 元之间');
  end if;
  return app.create_order(v_me, 'cashier',
    jsonb_build_object('lines', jsonb_build_array(jsonb_build_object('kind', 'cashier', 'item', p ->> 'cashierId',
        'title', '扫码买单·' || v_name, 'image', null, 'price', v_amount, 'quantity', 1, 'amount', v_amount,
        'deducted', 0, 'paid', v_amount)),
      'goodsTotal', v_amount, 'points', '{"used":0,"deduction":0}'::jsonb, 'love', '{"used":0,"deduction":0}'::jsonb,
      'coupon', '{"deduction":0}'::jsonb, 'payable', v_amount),
    p ->> 'cashierId', p ->> 'platform', p ->> 'remark');
end
$$;

/** Payment info of an own unpaid order, to (re)start WeChat Pay. */
create or replace function api.orders_pay_info(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  o app.orders;
  pay app.payments;
begin
  select * into o from app.orders where id = p ->> 'orderId' and member_id = v_me;
  if not found then
    perform app.not_found('orderId', '订单不存在');
  end if;
  if o.status <> 'unpaid' or o.expires_at <= now() then
    perform app.conflict('订单已支付或已关闭', 'order_not_payable', 'orderId');
  end if;
  select * into pay from app.payments where order_id = o.id;
  return jsonb_build_object('orderId', o.id, 'payable', o.payable, 'status', o.status, 'openid', pay.payer_openid,
    'prepayId', pay.prepay_id,
    'description', left(coalesce((select string_agg(title, '、' order by line) from app.order_lines where order_id = o.id), '订单'), 120));
end
$$;

/** The prepay_id WeChat gave for an order's payment (service role, after jsapi prepay). */
create or replace function app.record_prepay(p_out_trade_no text, p_prepay_id text) returns void
language sql
security definer
set search_path = ''
as $$ update app.payments set prepay_id = p_prepay_id where out_trade_no = p_out_trade_no and status = 'created' $$;

/** Owner check for pay.sandboxConfirm: the prepay_id of an own unpaid order. */
create or replace function api.orders_payment_of(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
begin
  if jsonb_typeof(p -> 'paymentId') is distinct from 'string' then
    perform app.bad('paymentId', '必填');
  end if;
  -- null when it is not the caller's (the api function answers 404).
  return (select jsonb_build_object('orderId', o.id, 'status', o.status, 'prepayId', pay.prepay_id)
          from app.payments pay join app.orders o on o.id = pay.order_id
          where pay.prepay_id = p ->> 'paymentId' and o.member_id = app.me());
end
$$;

/**
 * Paid: the order becomes the core's `order` event (entries join, the
 * extraction settles per settleOn), held deductions are spent, sales
 * counted, the shopper notified of the money it credits (its entries'
 * joined messages come from app.notify_entry_joined). A core refusal (e.g. the product vanished
 * since checkout) keeps the payment and records an anomaly for an operator.
 */
create or replace function app.settle_order(p_order text, p_at timestamptz) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  o app.orders;
  v_event jsonb;
  v_days integer := coalesce((rebate.current_settings() ->> 'afterSalesDays')::int, 7);
  e record;
begin
  select * into o from app.orders where id = p_order for update;
  if o.status <> 'unpaid' then
    return;
  end if;
  update app.orders set status = 'paid', paid_at = p_at, complete_due_at = p_at + make_interval(days => v_days)
  where id = p_order;
  perform app.move_deductions('spend:' || o.id, 'deduction-spend', o.member_id, o, 'hold', 'world');
  update app.listings l set sales = l.sales + ol.quantity
  from app.order_lines ol where ol.order_id = p_order and ol.kind <> 'cashier' and l.id = ol.item_id;

  if o.kind = 'cashier' then
    v_event := (select jsonb_build_object('id', o.id, 'user', o.member_id, 'at', app.iso(p_at), 'cashier', item_id,
                                          'paid', paid, 'deducted', deducted)
                from app.order_lines where order_id = o.id and line = 0);
  else
    v_event := jsonb_build_object('id', o.id, 'user', o.member_id, 'at', app.iso(p_at), 'lines',
      (select jsonb_agg(jsonb_build_object(kind, item_id, 'paid', paid, 'deducted', deducted) order by line)
       from app.order_lines where order_id = o.id));
  end if;
  begin
    perform orders.pay_order(v_event);
    update app.orders set core_settled = true where id = p_order;
  exception when sqlstate '22023' then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('core_refused', o.id, jsonb_build_object('error', sqlerrm, 'event', v_event));
  end;

  -- The joined messages are sent where each entry is created (app.notify_entry_joined), which may be
  -- later than this transaction when another transaction holds the queue's lock.
  perform app.notify_order_money(p_order, 'paid');
end
$$;

/**
 * 已加入排队, sent where an entry is created: by the payment itself, by the
 * processor right after it (rebate.apply_pending) or by the sweeper, when
 * another transaction held the queue's lock at payment. A deferred trigger
 * so it sees the entry as the processor left it (random return may have
 * converted it to points in the same batch). Only orders placed through the
 * api (app.orders) notify; exactly once per entry by its dedupe key.
 */
create or replace function app.notify_entry_joined() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  e record;
begin
  select en.id, en.line, en.member_id, en.entitlement, en.status, en.exchanged_amount, q.key, ol.title
  into e
  from rebate.entries en join rebate.queues q on q.id = en.queue_id
  join app.order_lines ol on ol.order_id = en.order_id and ol.line = en.line
  where en.id = new.id;
  if not found or e.status = 'cancelled' then
    return null;
  end if;
  if e.status = 'converted' then
    -- Random return drew a points slot: the entry never waits in the queue.
    perform app.notify(e.member_id, 'converted', '随机返·已转为积分',
      format('「%s」在%s的随机返中转为 %s 积分，不参与现金排队', e.title, app.queue_name(e.key), coalesce(e.exchanged_amount, 0)),
      '/packages/queue/pages/entry/index?id=' || e.id,
      'joined:' || new.order_id || ':' || e.line);
  else
    perform app.notify(e.member_id, 'entryJoined', '已加入排队',
      format('「%s」已加入%s，待返权益 ¥%s（按队列进度返还，以实际到账为准）', e.title, app.queue_name(e.key),
             to_char(e.entitlement / 100.0, 'FM999999999990.00')),
      '/packages/queue/pages/entry/index?id=' || e.id,
      'joined:' || new.order_id || ':' || e.line);
  end if;
  return null;
end
$$;

create constraint trigger entries_notify_joined after insert on rebate.entries
  deferrable initially deferred for each row execute function app.notify_entry_joined();

/**
 * Money an order credits to others, notified (SPEC §7 reward credited and
 * available; the merchant's settlement): at payment the distribution
 * rewards (frozen) and the store's share (frozen); at completion both
 * available. Deduplicated per order, receiver and step.
 */
create or replace function app.notify_order_money(p_order text, p_step text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
begin
  for r in
    select rw.member_id, rw.kind, rw.amount from distribution.rewards rw
    where rw.order_id = p_order and rw.status = case when p_step = 'paid' then 'frozen' else 'available' end
  loop
    perform app.notify(r.member_id, 'rewardCredited',
      case when p_step = 'paid' then '推广奖励已入账' else '推广奖励可提现' end,
      format('%s奖励 ¥%s %s', case r.kind when 'direct' then '直推' when 'indirect' then '间推' when 'levelDiff' then '级差'
                                when 'sameLevel' then '平级' when 'recruit' then '招商' when 'acceleration' then '加速' else '推广' end,
             to_char(r.amount / 100.0, 'FM999999999990.00'),
             case when p_step = 'paid' then '已入账（冻结），订单完成后可提现' else '已转为可提现' end),
      '/packages/promoter/pages/rewards/index', 'reward:' || p_step || ':' || p_order || ':' || r.member_id || ':' || r.kind);
  end loop;
  for r in
    select s.owner_member_id, sum(l.merchant) as amount from orders.lines l
    join app.stores s on s.store_id = l.store_id
    where l.order_id = p_order and l.merchant > 0 and s.owner_member_id is not null
    group by s.owner_member_id
  loop
    perform app.notify(r.owner_member_id, 'system',
      case when p_step = 'paid' then '商家收入·冻结中' else '商家结算到账' end,
      format('订单 %s 的商家收入 ¥%s %s', p_order, to_char(r.amount / 100.0, 'FM999999999990.00'),
             case when p_step = 'paid' then '已计入冻结，售后期结束后可提现' else '已转为可提现' end),
      '/packages/merchant/pages/account/index', 'merchant:' || p_step || ':' || p_order || ':' || r.owner_member_id);
  end loop;
end
$$;

/**
 * TRANSACTION.SUCCESS, verified and decrypted by pay-notify. Idempotent by
 * WeChat's transaction id: the same notify any number of times settles
 * once. Amount, payer and state are checked against the order; anything
 * odd is recorded as an anomaly (never settled, never dropped).
 * Returns 'settled' | 'duplicate' | 'anomaly:<kind>'.
 */
create or replace function app.confirm_payment(
  p_out_trade_no text, p_transaction_id text, p_total bigint, p_openid text, p_success_time timestamptz
) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order text;
  o app.orders;
  pay app.payments;
  v_kind text;
begin
  if coalesce(p_transaction_id, '') = '' then
    perform app.bad('transaction_id', 'missing');
  end if;
  select order_id into v_order from app.payments where out_trade_no = p_out_trade_no;
  if v_order is null then
    v_kind := 'unknown_trade';
  else
    select * into o from app.orders where id = v_order for update;
    select * into pay from app.payments where out_trade_no = p_out_trade_no for update;
    update app.payments set notify_count = notify_count + 1 where out_trade_no = p_out_trade_no;
    if pay.status = 'paid' then
      if pay.transaction_id = p_transaction_id then
        return 'duplicate';
      end if;
      v_kind := 'second_transaction';
    elsif p_total is distinct from pay.amount then
      v_kind := 'amount_mismatch';
    elsif p_openid is distinct from pay.payer_openid then
      v_kind := 'payer_mismatch';
    elsif o.status <> 'unpaid' then
      v_kind := 'paid_after_close';
    end if;
  end if;
  if v_kind is not null then
    -- Keyed by the transaction: recording the same anomaly twice is a no-op.
    insert into app.payment_anomalies (kind, out_trade_no, transaction_id, detail)
    select v_kind, p_out_trade_no, p_transaction_id,
           jsonb_build_object('total', p_total, 'expected', pay.amount, 'openid', p_openid, 'orderStatus', o.status)
    where not exists (select 1 from app.payment_anomalies where transaction_id = p_transaction_id and kind = v_kind);
    return 'anomaly:' || v_kind;
  end if;
  update app.payments set status = 'paid', transaction_id = p_transaction_id, paid_at = coalesce(p_success_time, now())
  where out_trade_no = p_out_trade_no;
  perform app.settle_order(o.id, coalesce(p_success_time, now()));
  return 'settled';
end
$$;

/**
 * pay-notify, right after app.confirm_payment committed: the queue processor
 * for the paid order's queues (rebate.apply_pending, try-locks; the payment
 * applied what it could itself). Returns the operations applied; the caller
 * calls again while > 0, so an operation committed while another
 * transaction held its queue is not left for the jobs function.
 */
create or replace function app.apply_paid_order(p_out_trade_no text) returns integer
language sql
security definer
set search_path = ''
as $$
  select coalesce((select rebate.apply_pending(pay.order_id) from app.payments pay
                   where pay.out_trade_no = p_out_trade_no), 0)
$$;

/**
 * Closes an unpaid order (expired or cancelled) after WeChat closed its
 * payment: stock and held deductions go back. No-op unless unpaid.
 */
create or replace function app.close_order(p_order text) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  o app.orders;
begin
  select * into o from app.orders where id = p_order for update;
  if not found or o.status <> 'unpaid' then
    return false;
  end if;
  perform 1 from app.payments where order_id = p_order for update;
  update app.orders set status = 'closed', closed_at = now() where id = p_order;
  update app.payments set status = 'closed' where order_id = p_order and status = 'created';
  update app.listings l set stock = l.stock + ol.quantity
  from app.order_lines ol where ol.order_id = p_order and ol.kind <> 'cashier' and l.id = ol.item_id;
  perform app.move_deductions('release:' || o.id, 'deduction-release', o.member_id, o, 'hold', 'member');
  return true;
end
$$;

/** Unpaid orders past their payment window (the jobs function closes them at WeChat, then here). */
create or replace function app.expired_unpaid(p_limit integer default 100)
returns table (order_id text, has_payment boolean)
language sql stable
security definer
set search_path = ''
as $$
  select o.id, exists (select 1 from app.payments pay where pay.order_id = o.id)
  from app.orders o where o.status = 'unpaid' and o.expires_at <= now()
  order by o.expires_at limit p_limit
$$;

/** Completes paid orders whose after-sales window is over. Returns how many. */
create or replace function app.complete_due(p_now timestamptz default now(), p_limit integer default 200) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id text;
  n integer := 0;
  o app.orders;
begin
  for v_id in
    select id from app.orders where status = 'paid' and complete_due_at <= p_now order by complete_due_at limit p_limit
  loop
    select * into o from app.orders where id = v_id for update skip locked;
    continue when not found or o.status <> 'paid';
    if o.core_settled then
      perform orders.complete_order(o.id, greatest(p_now, o.paid_at));
      perform app.notify_order_money(o.id, 'completed');
    end if;
    update app.orders set status = 'completed', completed_at = greatest(p_now, o.paid_at) where id = o.id;
    n := n + 1;
  end loop;
  return n;
end
$$;

-- ---------------------------------------------------------------- refunds

/** A shopper asks to refund a paid, not completed order (the whole order). */
create or replace function api.orders_refund(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  o app.orders;
  v_reason text := trim(coalesce(p ->> 'reason', ''));
begin
  if v_reason = '' or char_length(v_reason) > 200 then
    perform app.bad('reason', '请填写退款原因（200 字以内）');
  end if;
  select * into o from app.orders where id = p ->> 'orderId' and member_id = v_me for update;
  if not found then
    perform app.not_found('orderId', '订单不存在');
  end if;
  if o.status <> 'paid' then
    perform app.conflict(case o.status when 'completed' then '订单已完成，售后期已过，不能退款'
                                       when 'refunding' then '退款处理中'
                                       else '该订单不能退款' end, 'not_refundable', 'orderId');
  end if;
  update app.orders set status = 'refunding' where id = o.id;
  insert into app.refunds (out_refund_no, order_id, amount, reason) values ('R' || o.id, o.id, o.payable, v_reason)
  on conflict (order_id) do update set status = 'pending', reason = excluded.reason, reject_reason = null,
    created_at = now(), reviewed_at = null;
  return jsonb_build_object('orderId', o.id, 'status', 'refunding',
    'outRefundNo', 'R' || o.id, 'amount', o.payable, 'total', o.payable);
end
$$;

/** WeChat accepted the refund request (service role). */
create or replace function app.refund_started(p_out_refund_no text, p_refund_id text) returns void
language sql
security definer
set search_path = ''
as $$
  update app.refunds set status = 'processing', refund_id = coalesce(p_refund_id, refund_id), reviewed_at = coalesce(reviewed_at, now())
  where out_refund_no = p_out_refund_no and status = 'pending'
$$;

/**
 * REFUND.SUCCESS (or a refund with nothing to pay back): the core refunds
 * the order (entries cancelled, payouts to reserves, extraction absorbed),
 * spent deductions come back, stock and sales are restored. Idempotent by
 * refund status under the order lock. Returns 'refunded' | 'duplicate' | 'anomaly:<kind>'.
 */
create or replace function app.confirm_refund(p_out_refund_no text, p_refund_id text, p_amount bigint, p_at timestamptz)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order text;
  o app.orders;
  r app.refunds;
begin
  select order_id into v_order from app.refunds where out_refund_no = p_out_refund_no;
  if v_order is null then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('unknown_refund', p_out_refund_no, jsonb_build_object('refund_id', p_refund_id, 'amount', p_amount));
    return 'anomaly:unknown_refund';
  end if;
  select * into o from app.orders where id = v_order for update;
  select * into r from app.refunds where out_refund_no = p_out_refund_no for update;
  if r.status = 'succeeded' then
    return 'duplicate';
  end if;
  if p_amount is distinct from r.amount then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('refund_amount_mismatch', p_out_refund_no, jsonb_build_object('amount', p_amount, 'expected', r.amount));
    return 'anomaly:refund_amount_mismatch';
  end if;
  if o.status <> 'refunding' then
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('refund_state', p_out_refund_no, jsonb_build_object('orderStatus', o.status));
    return 'anomaly:refund_state';
  end if;
  if o.core_settled then
    perform orders.refund_order(o.id, greatest(coalesce(p_at, now()), o.paid_at));
  end if;
  perform app.move_deductions('unspend:' || o.id, 'deduction-refund', o.member_id, o, 'world', 'member');
  update app.listings l set stock = l.stock + ol.quantity, sales = greatest(l.sales - ol.quantity, 0)
  from app.order_lines ol where ol.order_id = o.id and ol.kind <> 'cashier' and l.id = ol.item_id;
  update app.refunds set status = 'succeeded', refund_id = coalesce(p_refund_id, refund_id), succeeded_at = coalesce(p_at, now())
  where out_refund_no = p_out_refund_no;
  update app.orders set status = 'refunded', refunded_at = coalesce(p_at, now()) where id = o.id;
  perform app.notify(o.member_id, 'system', '退款成功',
    format('订单 %s 已退款 ¥%s，原路退回。', o.id, to_char(r.amount / 100.0, 'FM999999999990.00')),
    '/packages/shop/pages/order/index?id=' || o.id, 'refunded:' || o.id);
  return 'refunded';
end
$$;

/** REFUND.ABNORMAL / REFUND.CLOSED: the order goes back to paid; an operator follows up. */
create or replace function app.refund_failed(p_out_refund_no text, p_status text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_order text;
begin
  select order_id into v_order from app.refunds where out_refund_no = p_out_refund_no;
  if v_order is null then return; end if;
  perform 1 from app.orders where id = v_order for update;
  update app.refunds set status = 'failed', reject_reason = p_status
  where out_refund_no = p_out_refund_no and status in ('pending', 'processing');
  if found then
    update app.orders set status = 'paid' where id = v_order and status = 'refunding';
    insert into app.payment_anomalies (kind, out_trade_no, detail)
    values ('refund_failed', p_out_refund_no, jsonb_build_object('status', p_status));
  end if;
end
$$;

/** Refund requests to send to WeChat (auto-approved unless app.site_content.refundReview is true), once their backoff is over. */
create or replace function app.refunds_to_send(p_limit integer default 50)
returns table (out_refund_no text, order_id text, amount bigint, total bigint, reason text, send_attempts integer)
language sql stable
security definer
set search_path = ''
as $$
  select r.out_refund_no, r.order_id, r.amount, o.payable, r.reason, r.send_attempts
  from app.refunds r join app.orders o on o.id = r.order_id
  where r.status = 'pending'
    and (r.next_attempt_at is null or r.next_attempt_at <= now())
    and (r.reviewed_at is not null
         or not coalesce((select (value #>> '{}')::boolean from app.site_content where key = 'refundReview'), false))
  order by r.created_at limit p_limit
$$;

-- ---------------------------------------------------------------- reading orders

create or replace function app.order_summary(o app.orders) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'orderId', o.id,
    'kind', o.kind,
    'status', o.status,
    'title', case when o.kind = 'cashier' then coalesce((select name from app.stores where store_id = o.store_id), '扫码买单')
                  else (select title from app.order_lines where order_id = o.id and line = 0) end,
    'image', (select image from app.order_lines where order_id = o.id and line = 0),
    'itemCount', (select coalesce(sum(quantity), 0) from app.order_lines where order_id = o.id),
    'payable', o.payable,
    'createdAt', o.created_at)
$$;

create or replace function api.orders_list(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_status text := coalesce(nullif(p ->> 'status', ''), 'all');
  v_cursor text := p ->> 'cursor';
  v_items jsonb;
  v_last app.orders;
  v_more boolean;
begin
  with page as (
    select o.* from app.orders o
    where o.member_id = v_me and (v_status = 'all' or o.status = v_status)
      and (v_cursor is null or (o.created_at, o.id) < (select c.created_at, c.id from app.orders c where c.id = v_cursor and c.member_id = v_me))
    order by o.created_at desc, o.id desc
    limit v_limit + 1
  )
  select coalesce(jsonb_agg(app.order_summary(page.*) order by created_at desc, id desc), '[]'), count(*) > v_limit
  into v_items, v_more
  from (select * from page order by created_at desc, id desc limit v_limit) page;
  return jsonb_build_object('items', v_items,
    'nextCursor', case when v_more then v_items -> (jsonb_array_length(v_items) - 1) ->> 'orderId' end);
end
$$;

create or replace function api.orders_detail(p jsonb) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
  o app.orders;
  r app.refunds;
begin
  select * into o from app.orders where id = p ->> 'orderId' and member_id = v_me;
  if not found then
    perform app.not_found('orderId', '订单不存在');
  end if;
  select * into r from app.refunds where order_id = o.id;
  return jsonb_build_object('order', app.order_summary(o) || jsonb_build_object(
    'lines', (select jsonb_agg(jsonb_build_object('productId', case when kind = 'cashier' then null else item_id end,
                'title', title, 'image', image, 'price', price, 'quantity', quantity, 'paid', paid) order by line)
              from app.order_lines where order_id = o.id),
    'goodsTotal', o.goods_total,
    'pointsUsed', o.points_used, 'pointsDeduction', o.points_deduction,
    'loveUsed', o.love_used, 'loveDeduction', o.love_deduction,
    'couponDeduction', o.coupon_deduction,
    'paidAt', o.paid_at, 'completedAt', o.completed_at,
    'entries', coalesce((select jsonb_agg(app.my_entry_json(e) order by e.line) from rebate.entries e where e.order_id = o.id), '[]'),
    'canRefund', o.status = 'paid',
    'refund', case when r.out_refund_no is null then null else jsonb_build_object(
        'status', case r.status when 'succeeded' then 'approved' when 'processing' then 'approved'
                                when 'rejected' then 'rejected' when 'failed' then 'rejected' else 'pending' end,
        'reason', r.reason, 'createdAt', r.created_at, 'rejectReason', r.reject_reason) end,
    'canPay', o.status = 'unpaid' and o.expires_at > now(),
    'expiresAt', o.expires_at));
end
$$;
