-- Who may call what. Everything starts revoked; api.* functions are granted
-- to the roles the `api` edge function runs them as; app.* functions are
-- for the service role only (WeChat notifies, jobs, login).

revoke all on all functions in schema app, api from public, anon, authenticated;

grant execute on function
  api.settings_display(jsonb), api.catalog_home(jsonb), api.catalog_categories(jsonb),
  api.catalog_products(jsonb), api.catalog_product(jsonb), api.cashier_info(jsonb),
  api.union_overview(jsonb)
  to anon, authenticated, service_role;

grant execute on function
  api.user_profile(jsonb), api.user_update(jsonb),
  api.orders_preview(jsonb), api.orders_checkout(jsonb), api.cashier_checkout(jsonb), api.orders_pay_info(jsonb),
  api.orders_payment_of(jsonb), api.orders_list(jsonb), api.orders_detail(jsonb), api.orders_refund(jsonb),
  api.queue_my_entries(jsonb), api.queue_entry(jsonb), api.queue_progress(jsonb), api.queue_draw(jsonb),
  api.queue_exchange_preview(jsonb), api.queue_exchange(jsonb), api.union_my_entries(jsonb), api.union_entry(jsonb),
  api.wallet_summary(jsonb), api.wallet_history(jsonb), api.wallet_withdraw(jsonb), api.wallet_withdrawals(jsonb),
  api.promoter_invite(jsonb), api.promoter_bind(jsonb), api.promoter_team(jsonb), api.promoter_rewards(jsonb),
  api.merchant_apply(jsonb), api.merchant_status(jsonb), api.merchant_sales(jsonb), api.merchant_cashiers(jsonb),
  api.inbox_list(jsonb), api.inbox_mark_read(jsonb), api.inbox_subscribed(jsonb),
  api.admin_withdrawals(jsonb), api.admin_withdrawal_review(jsonb), api.admin_merchant_review(jsonb),
  api.admin_refund_review(jsonb)
  to authenticated;

-- Invoker functions read under RLS as the caller; the helpers they use must be callable too.
grant execute on function members.current_member_id() to anon;
grant execute on function app.page_cursor(jsonb, bigint) to anon, authenticated;

grant execute on function
  app.login_wechat(text, text, text, text), app.user_profile_json(text), app.record_prepay(text, text),
  app.confirm_payment(text, text, bigint, text, timestamptz), app.apply_paid_order(text), app.close_order(text), app.expired_unpaid(integer),
  app.complete_due(timestamptz, integer), app.refund_started(text, text), app.confirm_refund(text, text, bigint, timestamptz),
  app.refund_failed(text, text), app.refunds_to_send(integer), app.transfers_to_send(integer),
  app.transfer_started(text, text, text), app.confirm_transfer(text, text, text, bigint),
  app.outbox_pending(integer), app.outbox_result(bigint, text, text), app.notify_payouts(integer),
  app.notify_clearing_soon(timestamptz), app.notify_clearing_done()
  to service_role;
grant execute on function rebate.process_pending(integer) to service_role;
