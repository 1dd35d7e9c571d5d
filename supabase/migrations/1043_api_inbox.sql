-- Inbox: the caller's notifications under RLS, and subscribe credits.

create or replace function api.inbox_list(p jsonb) returns jsonb
language plpgsql stable
security invoker
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce((p ->> 'limit')::int, 20), 1), 50);
  v_cursor bigint := app.page_cursor(p);
begin
  return (
    with page as (
      select i.*, row_number() over (order by i.id desc) as rn
      from app.inbox i
      where v_cursor is null or i.id < v_cursor
      order by i.id desc limit v_limit + 1
    )
    select jsonb_build_object(
      'items', coalesce((select jsonb_agg(jsonb_build_object('id', id::text, 'kind', kind, 'title', title, 'body', body,
                  'read', read_at is not null, 'createdAt', created_at, 'link', link, 'data', data) order by id desc)
                from page where rn <= v_limit), '[]'),
      'nextCursor', (select id::text from page where rn = v_limit and exists (select 1 from page where rn > v_limit)),
      'unread', (select count(*) from app.inbox where read_at is null)));
end
$$;

create or replace function api.inbox_mark_read(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  if coalesce((p ->> 'all')::boolean, false) then
    update app.inbox set read_at = now() where member_id = v_me and read_at is null;
  elsif jsonb_typeof(p -> 'ids') = 'array' then
    update app.inbox set read_at = now()
    where member_id = v_me and read_at is null
      and id::text in (select jsonb_array_elements_text(p -> 'ids'));
  else
    perform app.bad('ids', '请指定消息');
  end if;
  return jsonb_build_object('unread', (select count(*) from app.inbox where member_id = v_me and read_at is null));
end
$$;

/** Kinds the user accepted in requestSubscribeMessage: one message each. */
create or replace function api.inbox_subscribed(p jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me text := app.me();
begin
  if jsonb_typeof(p -> 'kinds') is distinct from 'array' then
    perform app.bad('kinds', '须为列表');
  end if;
  insert into app.subscriptions as s (member_id, kind, credits)
  select v_me, k, 1 from jsonb_array_elements_text(p -> 'kinds') k
  on conflict (member_id, kind) do update set credits = least(s.credits + 1, 1000), updated_at = now();
  return jsonb_build_object('ok', true);
end
$$;
