// The shared-session PGlite server: concurrent clients with extended-protocol
// queries and transactions must behave like separate sessions would for
// everything our code does (transaction-local settings, no prepared statements).
// PGlite runs in a child process (it needs dynamic import, which jest's VM lacks).
import postgres from 'postgres';
import { spawnUntil, TSX, type Child } from './helpers/processes.ts';

jest.setTimeout(60_000);

let server: Child;
let url: string;
const clients: postgres.Sql[] = [];
const client = (max = 1) => {
  const c = postgres(url, { prepare: false, max, onnotice: () => {} });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  const started = await spawnUntil(TSX, ['scripts/stack/pglite.ts', '--port', '0'], /ready (\S+)/);
  server = started.child;
  url = started.match[1];
  await client().unsafe(`
    create role authenticated nologin;
    create table counter (id int primary key, n bigint not null);
    insert into counter values (1, 0);
    grant select on counter to authenticated;`);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
  await server.stop();
});

test('many concurrent parameterised queries from several clients all get their own answers', async () => {
  const a = client(3);
  const b = client(3);
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b)`select ${i}::int as i, repeat('x', ${i % 50}) as pad`),
  );
  results.forEach((rows, i) => {
    expect(rows[0].i).toBe(i);
    expect(rows[0].pad).toHaveLength(i % 50);
  });
});

test('transactions are isolated from other clients: read-modify-write increments are never lost', async () => {
  const a = client(2);
  const b = client(2);
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).begin(async (tx) => {
        const [{ n }] = await tx`select n from counter where id = 1`;
        await new Promise((r) => setTimeout(r, 1));
        await tx`update counter set n = ${Number(n) + 1} where id = 1`;
      }),
    ),
  );
  const [{ n }] = await a`select n from counter where id = 1`;
  expect(Number(n)).toBe(40);
});

test('transaction-local role and claims do not leak to other clients', async () => {
  const a = client();
  const b = client();
  const inside = a.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: 'u1' })}, true)`;
    await new Promise((r) => setTimeout(r, 50));
    return tx`select current_user as u, current_setting('request.jwt.claims', true) as c`;
  });
  const outside = b`select current_user as u, current_setting('request.jwt.claims', true) as c`;
  const [[i], [o]] = await Promise.all([inside, outside]);
  expect(i.u).toBe('authenticated');
  expect(JSON.parse(i.c).sub).toBe('u1');
  expect(o.u).toBe('postgres');
  expect(o.c === null || o.c === '').toBe(true);
});

test('an error in one client does not break another; a failed transaction rolls back', async () => {
  const a = client();
  const b = client();
  const [{ n: before }] = await b`select n from counter where id = 1`;
  const bad = a.begin(async (tx) => {
    await tx`update counter set n = -1 where id = 1`;
    await tx`select 1/0`;
  });
  const good = b`select 2 as two`;
  await expect(bad).rejects.toThrow(/division by zero/);
  expect((await good)[0].two).toBe(2);
  const [{ n }] = await b`select n from counter where id = 1`;
  expect(Number(n)).toBe(Number(before)); // the -1 was rolled back
});

test('a client that disconnects inside a transaction is rolled back and releases the session', async () => {
  const a = postgres(url, { prepare: false, max: 1 });
  const reserved = await a.reserve();
  await reserved`begin`;
  await reserved`update counter set n = 999 where id = 1`;
  await a.end({ timeout: 0 }); // hard close while holding the transaction
  const b = client();
  const [{ n }] = await b`select n from counter where id = 1`;
  expect(Number(n)).not.toBe(999);
});
