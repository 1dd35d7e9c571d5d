-- What the shop displays or opens from the console's catalogue: pictures
-- (product images, category icons, banner images) are http(s) or
-- site-relative URLs (ops.expect_picture_url); a banner leads to a page of
-- the mini-program (ops.expect_app_path). javascript:, data: and foreign
-- links are refused naming the field, and nothing is saved.
begin;
select plan(12);

create temp table ctx (k text primary key, v text);
grant all on ctx to operator;
select ops.upsert_operator('urls1', '运营小赵', 'admin', '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO');
insert into ctx select 'claims', json_build_object('aud', 'operator', 'role', 'operator', 'sub', id::text,
  'session_id', ops.sign_in_finish(id, true, 3600, 3, 15) ->> 'sessionId')::text
from ops.operators where login = 'urls1';
insert into ctx select 'categories', count(*)::text from app.categories;
insert into ctx select 'banners', coalesce((select value::text from app.site_content where key = 'banners'), 'none');

-- the rules themselves
select is(ops.expect_picture_url('"/storage/v1/object/public/images/a.png"', 'icon'), '/storage/v1/object/public/images/a.png',
  'a site-relative picture (the local Storage layout) is kept');
select is(ops.expect_picture_url('"https://cdn.example.com/a.png"', 'icon'), 'https://cdn.example.com/a.png', 'an https picture is kept');
select throws_ok($$select ops.expect_picture_url('"javascript:alert(1)"', 'icon')$$, '22023', 'icon: must be an image URL',
  'javascript: is no picture');
select throws_ok($$select ops.expect_images('["/a.png", "data:image/png;base64,AAAA"]', 'images')$$, '22023', null,
  'nor is data: among a product''s images');
select is(ops.expect_app_path('"/packages/shop/pages/product/index?id=p-rice"', 'link'), '/packages/shop/pages/product/index?id=p-rice',
  'a page of the mini-program with its query is a banner link');
select throws_ok($$select ops.expect_app_path('"https://evil.example.com/"', 'link')$$, '22023',
  'link: must be a page of the mini-program (/packages/...)', 'a foreign site is no banner link');

-- through the console's actions
set local role operator;
select set_config('request.jwt.claims', (select v from ctx where k = 'claims'), true);
select throws_ok($$select admin.catalog_category_save('{"name":"坏图标","icon":"javascript:alert(1)"}')$$, '22023',
  'icon: must be an image URL', 'a category icon must be a picture URL');
select throws_like($$select admin.catalog_home_save('{"banners":[{"id":"b1","image":"/b.png","title":"横幅","link":"javascript:alert(1)"}]}')$$,
  '%link: must be a page of the mini-program%', 'a banner link must be a page of the mini-program');
select throws_like($$select admin.catalog_home_save('{"banners":[{"id":"b1","image":"javascript:alert(1)","title":"横幅"}]}')$$,
  '%image: must be an image URL%', 'a banner image must be a picture URL');
select lives_ok($$select admin.catalog_home_save('{"banners":[{"id":"b1","image":"/b.png","title":"横幅","link":"/pages/category/index"}]}')$$,
  'a banner with a picture and a page link is saved');
reset role;
select is((select count(*)::text from app.categories), (select v from ctx where k = 'categories'), 'the refused category was not saved');
select is((select value -> 0 ->> 'link' from app.site_content where key = 'banners'), '/pages/category/index',
  'the saved banners are the accepted ones only');

select * from finish();
rollback;
