-- Settings: defaults (SPEC §8), patch validation, merge, audit.
begin;
select plan(19);

select is(rebate.current_settings(), rebate.default_settings(), 'a fresh platform starts from the defaults');
select is(rebate.current_settings() ->> 'extractRatio', '10', 'default extraction ratio 10');
select is(rebate.current_settings() ->> 'settleOn', 'paid', 'default settleOn paid');

select lives_ok($$select rebate.update_settings('{"queueOrder":"completedFirst","display":{"progress":false}}', 'ops@test')$$,
  'a valid patch applies');
select is(rebate.current_settings() ->> 'queueOrder', 'completedFirst', 'scalars replace');
select is(rebate.current_settings() -> 'display',
  '{"queueId":true,"progress":false,"cumulativeReward":true,"pendingReward":true,"memberInfo":true,"pendingAmount":true}'::jsonb,
  'nested objects merge key by key');
select is((select count(*) from audit.settings_changes), 1::bigint, 'the change is audited');
select ok((select actor = 'ops@test' and before ->> 'queueOrder' = 'strict' and after ->> 'queueOrder' = 'completedFirst'
           from audit.settings_changes), 'the audit row records who, before and after');

-- Bad patches: errcode 22023 naming the field, nothing changes.
select throws_ok($$select rebate.update_settings('{"bogus":true}', 'ops')$$, '22023', 'bogus: unknown field', 'unknown key');
select throws_ok($$select rebate.update_settings('{"extractRatio":10}', 'ops')$$, '22023',
  'extractRatio: must be a percentage string such as "12.5"', 'a number where a ratio is expected');
select throws_ok($$select rebate.update_settings('{"extractRatio":"100.01"}', 'ops')$$, '22023',
  'extractRatio: must be at most 100', 'extraction never above 100%');
select throws_ok($$select rebate.update_settings('{"display":{"progress":"no"}}', 'ops')$$, '22023',
  'display.progress: must be true or false', 'nested field paths');
select throws_ok($$select rebate.update_settings('{"randomReturn":{"on":true,"cashCount":0,"pointsCount":0}}', 'ops')$$, '22023',
  'randomReturn.cashCount: cashCount + pointsCount must be at least 1', 'random return needs a group of at least one');
select throws_ok($$select rebate.update_settings('{"paused":true,"queueOrder":"random"}', 'ops')$$, '22023',
  'queueOrder: must be one of "strict", "completedFirst"', 'one bad key fails the whole patch');
select is(rebate.current_settings() ->> 'paused', 'false', 'and nothing of it applies');
select is((select count(*) from audit.settings_changes), 1::bigint, 'refused patches are not audited');

-- rebate.settings_after_patch: the one check of a patch, shared by update_settings and the console's preview.
select is(rebate.settings_after_patch(rebate.current_settings(), '{"extractRatio":"12.5"}') ->> 'extractRatio', '12.5',
  'settings_after_patch gives the merged settings');
select is(rebate.current_settings() ->> 'extractRatio', '10', 'and saves nothing');
select throws_ok($$select rebate.settings_after_patch(rebate.current_settings(), '{"extractRatio":null}')$$, '22023',
  null, 'settings_after_patch refuses what update_settings refuses');

select * from finish();
rollback;
