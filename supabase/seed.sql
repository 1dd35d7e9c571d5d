-- Demo data for the local stack (npm start loads it once into a fresh
-- database; never part of a deployed project). A catalogue with
-- self-operated and supplier products, two stores with store products and
-- cashiers and a notice. Demo shoppers (alice, bob, carol, admin)
-- are signed in through the WeChat sandbox by scripts/stack/demo.ts, so
-- they are real users of the sandbox's mini-program.

-- Core catalogue (prices in fen, ratios percent strings).
select catalog.upsert_product(x) from jsonb_array_elements('[
  {"id": "p-rice",   "price": 16800, "source": "self",     "cost": 9000,  "queue": {"independentRatio": "130", "extractRatio": "65"}},
  {"id": "p-tea",    "price": 10000, "source": "self",     "cost": 5500,  "queue": {}},
  {"id": "p-oil",    "price": 8900,  "source": "self",     "cost": 6000,  "queue": {"extractRatio": "15"}},
  {"id": "p-honey",  "price": 12800, "source": "supplier", "cost": 8000,  "queue": {}},
  {"id": "p-towel",  "price": 3900,  "source": "supplier", "cost": 2200,  "queue": {"enabled": false}},
  {"id": "p-kettle", "price": 29900, "source": "supplier", "cost": 21000, "queue": {"independentRatio": "110"}}
]'::jsonb) as t(x);

select catalog.upsert_store(x) from jsonb_array_elements('[
  {"id": "s-noodle", "commission": "12", "queue": {"defaultRatio": "100", "extractRatio": "12"}},
  {"id": "s-fruit",  "commission": "8",  "queue": {}}
]'::jsonb) as t(x);

select catalog.upsert_store_product(x) from jsonb_array_elements('[
  {"id": "sp-beef-noodle", "store": "s-noodle", "price": 2800, "cost": 1200, "queue": {}},
  {"id": "sp-fruit-box",   "store": "s-fruit",  "price": 6600, "cost": 4000, "queue": {"defaultRatio": "90"}}
]'::jsonb) as t(x);

select catalog.upsert_cashier(x) from jsonb_array_elements('[
  {"id": "c-noodle-1", "store": "s-noodle", "queue": {}},
  {"id": "c-noodle-2", "store": "s-noodle", "queue": {"defaultRatio": "80"}},
  {"id": "c-fruit-1",  "store": "s-fruit",  "queue": {}}
]'::jsonb) as t(x);

-- Display catalogue.
insert into app.categories (id, name, icon, sort) values
  ('food', '粮油食品', null, 1),
  ('drink', '茶饮冲调', null, 2),
  ('home', '家居日用', null, 3),
  ('local', '本地生活', null, 4);

insert into app.listings (id, kind, source, title, images, description, category_id, market_price, stock, sales, recommended, sort) values
  ('p-rice', 'product', 'self', '东北有机大米 5kg', '{}', '五常稻花香，当季新米。', 'food', 19800, 500, 128, true, 1),
  ('p-tea', 'product', 'self', '明前龙井 250g', '{}', '西湖产区，明前采摘。', 'drink', 12800, 300, 64, true, 2),
  ('p-oil', 'product', 'self', '压榨花生油 5L', '{}', '物理压榨，一级品质。', 'food', 9900, 800, 256, false, 3),
  ('p-honey', 'product', 'supplier', '秦岭土蜂蜜 500g', '{}', '供应商直发，源头好蜜。', 'food', 15800, 200, 32, true, 4),
  ('p-towel', 'product', 'supplyChain', '长绒棉毛巾 3条装', '{}', '供应链批量上架，不参与排队返利。', 'home', 5900, 1000, 512, false, 5),
  ('p-kettle', 'product', 'supplier', '316 不锈钢电热水壶', '{}', '双层防烫，1.7L。', 'home', 39900, 100, 8, false, 6),
  ('sp-beef-noodle', 'storeProduct', 'store', '招牌牛肉面（到店券）', '{}', '老王面馆到店使用。', 'local', 3200, 999, 40, true, 7),
  ('sp-fruit-box', 'storeProduct', 'store', '当季水果礼盒', '{}', '鲜果坊到店自提。', 'local', 7900, 50, 12, false, 8);

insert into app.stores (store_id, name, address, phone) values
  ('s-noodle', '老王面馆', '杭州市西湖区文三路 100 号', '0571-88880001'),
  ('s-fruit', '鲜果坊', '杭州市拱墅区湖墅南路 200 号', '0571-88880002');

insert into app.cashiers (cashier_id, name) values
  ('c-noodle-1', '一号收银台'),
  ('c-noodle-2', '外卖窗口'),
  ('c-fruit-1', '收银台');

-- Product, category and banner images: drawn by scripts/stack/demo-images.ts at
-- `npm start` into the local storage and set on these rows there (the URLs
-- name the gateway's port, which only the running stack knows).

update app.site_content set value = to_jsonb('返还按队列顺序进行，预计时间仅供参考，不构成收益承诺。'::text), updated_at = now()
where key = 'notice';
