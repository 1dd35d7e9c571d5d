-- The member-facing application layer on top of the core engine
-- (0001–0999): WeChat identities and profiles, display catalogue, orders
-- before payment, WeChat payments / refunds / transfers, withdrawals, inbox
-- and the subscribe-message outbox. Schema `app` holds the tables (no
-- direct client writes); schema `api` holds the functions the `api` edge
-- function calls as the signed-in user (role authenticated, JWT claims set
-- transaction-locally) or as anon for public actions.
--
-- Money never moves here except through ledger.transfer and the core's
-- orders.* functions, inside functions that lock rows in a fixed order
-- (app.orders row first, then app.payments / app.refunds / app.withdrawals,
-- then whatever the core locks) and key every external trigger (WeChat
-- transaction id, refund id, transfer bill) for idempotency.

create schema if not exists app;
create schema if not exists api;
revoke all on schema app, api from public;
grant usage on schema app to service_role, authenticated;
grant usage on schema api to anon, authenticated, service_role;

alter default privileges in schema app, api revoke all on tables from public;
alter default privileges in schema app, api revoke execute on functions from public;

-- ---------------------------------------------------------------- people

create table app.profiles (
  member_id text primary key references members.members (id),
  auth_user_id uuid not null unique references auth.users (id),
  openid text not null unique check (char_length(openid) between 1 and 64),
  unionid text check (char_length(unionid) <= 64),
  nickname text not null default '' check (char_length(nickname) <= 32),
  avatar_url text check (char_length(avatar_url) <= 500 and avatar_url ~* '^https?://'), -- shown to others: web addresses only
  -- Carried by invite QR codes as scene "i=<code>".
  invite_code text not null unique check (invite_code ~ '^[A-Z0-9]{6,10}$'),
  platform text not null default 'weapp' check (platform in ('weapp', 'h5')),
  created_at timestamptz not null default now(),
  last_login_at timestamptz not null default now()
);
create index profiles_unionid on app.profiles (unionid) where unionid is not null;

-- Platform operators. Operator-only functions check membership here.
create table app.operators (
  member_id text primary key references members.members (id),
  role text not null default 'admin' check (role in ('admin', 'finance', 'support')),
  created_at timestamptz not null default now()
);

-- ---------------------------------------------------------------- catalogue

create table app.categories (
  id text primary key check (id ~ '^[A-Za-z0-9_.:-]{1,64}$'),
  name text not null check (char_length(name) between 1 and 20),
  icon text,
  parent_id text references app.categories (id),
  sort integer not null default 0
);

-- What the shop shows for a product or store product of the core catalogue.
-- The price, cost and queue configuration stay in catalog.*.
create table app.listings (
  id text primary key,
  kind text not null check (kind in ('product', 'storeProduct')),
  source text not null check (source in ('self', 'supplier', 'supplyChain', 'store')),
  title text not null check (char_length(title) between 1 and 60),
  images text[] not null default '{}',
  description text not null default '',
  category_id text references app.categories (id),
  market_price bigint check (market_price between 0 and 10000000000),
  stock integer not null default 0 check (stock >= 0),
  sales integer not null default 0 check (sales >= 0),
  on_sale boolean not null default true,
  recommended boolean not null default false,
  sort integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint listings_store_source check ((kind = 'storeProduct') = (source = 'store'))
);
create index listings_category on app.listings (category_id) where on_sale;

create table app.stores (
  store_id text primary key references catalog.stores (id),
  name text not null check (char_length(name) between 1 and 40),
  logo text,
  address text,
  phone text,
  owner_member_id text references members.members (id),
  created_at timestamptz not null default now()
);
create index stores_owner on app.stores (owner_member_id) where owner_member_id is not null;

create table app.cashiers (
  cashier_id text primary key references catalog.cashiers (id),
  name text not null check (char_length(name) between 1 and 40),
  created_at timestamptz not null default now()
);

-- Banners, notice, withdrawal rule, display names: small operator-edited values.
create table app.site_content (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
insert into app.site_content (key, value) values
  ('banners', '[]'),
  ('notice', 'null'),
  -- Fees are a ratio of the amount, at least minFee; WeChat's transfer
  -- needs the payee's real name from 2000 yuan, so single withdrawals stay below.
  ('withdrawRule', '{"minAmount": 100, "maxAmount": 199999, "feeRatio": "0", "minFee": 0}'),
  -- Unpaid orders close after this many minutes.
  ('orderPayMinutes', '30')
on conflict (key) do nothing;

create table app.merchant_applications (
  id text primary key,
  member_id text not null references members.members (id),
  store_name text not null,
  contact_name text not null,
  phone text not null,
  address text not null,
  category text not null,
  license_no text not null,
  intro text not null default '',
  recruiter_member_id text references members.members (id),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  reject_reason text,
  store_id text references catalog.stores (id),
  created_at timestamptz not null default now(),
  reviewed_at timestamptz
);
-- One open application per member.
create unique index merchant_applications_open on app.merchant_applications (member_id) where status = 'pending';

-- ---------------------------------------------------------------- orders

-- An order from checkout on. It reaches the core (orders.orders, same id)
-- when its payment is confirmed.
create table app.orders (
  id text primary key check (id ~ '^[A-Za-z0-9_-]{6,32}$'),
  member_id text not null references members.members (id),
  kind text not null check (kind in ('mall', 'cashier')),
  status text not null default 'unpaid'
    check (status in ('unpaid', 'paid', 'completed', 'refunding', 'refunded', 'closed')),
  store_id text references catalog.stores (id),
  cashier_id text references catalog.cashiers (id),
  goods_total bigint not null check (goods_total between 0 and 10000000000),
  points_used bigint not null default 0 check (points_used >= 0),
  points_deduction bigint not null default 0 check (points_deduction >= 0),
  love_used bigint not null default 0 check (love_used >= 0),
  love_deduction bigint not null default 0 check (love_deduction >= 0),
  coupon_deduction bigint not null default 0 check (coupon_deduction >= 0),
  payable bigint not null check (payable >= 0),
  remark text not null default '' check (char_length(remark) <= 200),
  platform text not null check (platform in ('weapp', 'h5')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  paid_at timestamptz,
  -- After-sales window end: the jobs function completes the order then.
  complete_due_at timestamptz,
  completed_at timestamptz,
  closed_at timestamptz,
  refunded_at timestamptz,
  constraint orders_amounts check (goods_total = payable + points_deduction + love_deduction + coupon_deduction),
  constraint orders_cashier_shape check ((kind = 'cashier') = (cashier_id is not null))
);
create index orders_member_created on app.orders (member_id, created_at desc);
create index orders_unpaid_expiry on app.orders (expires_at) where status = 'unpaid';
create index orders_complete_due on app.orders (complete_due_at) where status = 'paid';
create index orders_store on app.orders (store_id, paid_at) where store_id is not null;

create table app.order_lines (
  order_id text not null references app.orders (id),
  line integer not null check (line >= 0),
  kind text not null check (kind in ('product', 'storeProduct', 'cashier')),
  item_id text not null,
  title text not null,
  image text,
  price bigint not null check (price >= 0),
  quantity integer not null check (quantity between 1 and 999),
  amount bigint not null check (amount >= 0),
  deducted bigint not null default 0 check (deducted >= 0),
  -- Cash paid on the line: the queue entry's base.
  paid bigint not null check (paid >= 0),
  primary key (order_id, line),
  constraint order_lines_amounts check (amount = paid + deducted)
);

create table app.payments (
  out_trade_no text primary key,
  order_id text not null unique references app.orders (id),
  amount bigint not null check (amount > 0),
  payer_openid text not null,
  prepay_id text,
  status text not null default 'created' check (status in ('created', 'paid', 'closed')),
  transaction_id text unique,
  paid_at timestamptz,
  notify_count integer not null default 0,
  created_at timestamptz not null default now()
);

-- Notifies that could not be settled (amount mismatch, paid after close, a
-- second transaction for one order): kept for an operator, never dropped.
create table app.payment_anomalies (
  id bigint generated always as identity primary key,
  kind text not null,
  out_trade_no text,
  transaction_id text,
  detail jsonb not null default '{}',
  resolved_at timestamptz,
  created_at timestamptz not null default now()
);

create table app.refunds (
  out_refund_no text primary key,
  order_id text not null unique references app.orders (id),
  amount bigint not null check (amount >= 0),
  reason text not null check (char_length(reason) between 1 and 200),
  status text not null default 'pending'
    check (status in ('pending', 'processing', 'succeeded', 'rejected', 'failed')),
  reject_reason text,
  refund_id text unique,
  created_at timestamptz not null default now(),
  reviewed_at timestamptz,
  succeeded_at timestamptz,
  -- Outbox state of the request to WeChat (app.outbox_claim): a claimed
  -- attempt may have reached WeChat even when its answer was lost, so the
  -- next one queries WeChat first. Retries back off (app.outbox_backoff).
  send_attempts integer not null default 0,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  last_error text
);

-- ---------------------------------------------------------------- wallet

create table app.withdrawals (
  id text primary key check (id ~ '^[A-Za-z0-9]{5,32}$'), -- also the transfer's out_bill_no
  member_id text not null references members.members (id),
  amount bigint not null check (amount > 0),
  fee bigint not null check (fee >= 0),
  net bigint not null check (net > 0),
  status text not null default 'reviewing'
    check (status in ('reviewing', 'approved', 'paying', 'paid', 'rejected', 'failed')),
  reject_reason text,
  transfer_bill_no text unique,
  package_info text,
  -- The account withdrawn from: null = the member's wallet; a merchant's
  -- (merchant:<store>:available) or supplier's account (1300_api_settlement.sql).
  source_account text check (source_account ~ '^(merchant|supplier):.+:available$'),
  created_at timestamptz not null default now(),
  reviewed_at timestamptz,
  paid_at timestamptz,
  -- Outbox state of the transfer request (as app.refunds).
  send_attempts integer not null default 0,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  last_error text,
  constraint withdrawals_net check (net = amount - fee)
);
create index withdrawals_member on app.withdrawals (member_id, created_at desc);

-- ---------------------------------------------------------------- messages

create table app.inbox (
  id bigint generated always as identity primary key,
  member_id text not null references members.members (id),
  kind text not null,
  title text not null,
  body text not null,
  link text,
  -- Makes every notification idempotent: the same event never notifies twice.
  dedupe_key text not null unique,
  -- Figures the client formats itself, per kind (clearingSoon / clearingDone: counts, fen, times); null for most.
  data jsonb,
  read_at timestamptz,
  created_at timestamptz not null default now()
);
create index inbox_member on app.inbox (member_id, id desc);
create index inbox_unread on app.inbox (member_id) where read_at is null;

-- WeChat subscribe messages to send (the jobs function sends them).
create table app.outbox (
  id bigint generated always as identity primary key,
  inbox_id bigint not null unique references app.inbox (id),
  member_id text not null references members.members (id),
  kind text not null,
  page text,
  data jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'skipped')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index outbox_pending on app.outbox (id) where status = 'pending';

-- Entries a clearing voided, each noted once with its occurrence (the clearingDone
-- notifications: app.notify_clearing_done). The core's rebate.entries stay untouched.
create table app.clearing_voided (
  entry_id bigint primary key, -- rebate.entries
  occurrence timestamptz not null,
  member_id text not null,
  voided bigint not null check (voided >= 0),
  created_at timestamptz not null default now()
);
create index clearing_voided_occurrence on app.clearing_voided (occurrence, member_id);

-- One-time subscriptions: each acceptance in requestSubscribeMessage allows one message.
create table app.subscriptions (
  member_id text not null references members.members (id),
  kind text not null,
  credits integer not null default 0 check (credits between 0 and 1000),
  updated_at timestamptz not null default now(),
  primary key (member_id, kind)
);

-- Watermarks of the jobs function (last payout / entry seen, ...).
create table app.job_state (
  key text primary key,
  value bigint not null default 0,
  updated_at timestamptz not null default now()
);

-- ---------------------------------------------------------------- RLS

alter table app.profiles enable row level security;
alter table app.operators enable row level security;
alter table app.categories enable row level security;
alter table app.listings enable row level security;
alter table app.stores enable row level security;
alter table app.cashiers enable row level security;
alter table app.site_content enable row level security;
alter table app.merchant_applications enable row level security;
alter table app.orders enable row level security;
alter table app.order_lines enable row level security;
alter table app.payments enable row level security;
alter table app.payment_anomalies enable row level security;
alter table app.refunds enable row level security;
alter table app.withdrawals enable row level security;
alter table app.inbox enable row level security;
alter table app.outbox enable row level security;
alter table app.subscriptions enable row level security;
alter table app.job_state enable row level security;
alter table app.clearing_voided enable row level security;

-- Members read their own rows; nobody writes except the api / app functions.
create policy "Members read their own profile" on app.profiles
  for select to authenticated using (member_id = (select members.current_member_id()));
create policy "Members read their own orders" on app.orders
  for select to authenticated using (member_id = (select members.current_member_id()));
create policy "Members read the lines of their own orders" on app.order_lines
  for select to authenticated
  using (order_id in (select o.id from app.orders o where o.member_id = (select members.current_member_id())));
create policy "Members read the refunds of their own orders" on app.refunds
  for select to authenticated
  using (order_id in (select o.id from app.orders o where o.member_id = (select members.current_member_id())));
create policy "Members read their own withdrawals" on app.withdrawals
  for select to authenticated using (member_id = (select members.current_member_id()));
create policy "Members read their own inbox" on app.inbox
  for select to authenticated using (member_id = (select members.current_member_id()));
create policy "Members read their own merchant applications" on app.merchant_applications
  for select to authenticated using (member_id = (select members.current_member_id()));
create policy "Members read their own subscriptions" on app.subscriptions
  for select to authenticated using (member_id = (select members.current_member_id()));
-- The public catalogue.
create policy "Anyone reads categories" on app.categories for select to anon, authenticated using (true);
create policy "Anyone reads listings on sale" on app.listings for select to anon, authenticated using (on_sale);
create policy "Anyone reads stores" on app.stores for select to anon, authenticated using (true);
create policy "Anyone reads cashiers" on app.cashiers for select to anon, authenticated using (true);

revoke all on all tables in schema app from public, anon, authenticated;
grant select on app.profiles, app.orders, app.order_lines, app.refunds, app.withdrawals, app.inbox,
  app.merchant_applications, app.subscriptions to authenticated;
grant select on app.categories, app.listings, app.cashiers to anon, authenticated;
-- Stores: what the cashier page shows, never who owns them (supabase/tests/06_rls_all_tables.sql).
grant select (store_id, name, logo, address, phone, created_at) on app.stores to anon, authenticated;
grant usage on schema app to anon;
grant select on all tables in schema app to service_role;
