// The console's 工会排队 page in jsdom against the real SQL: the `admin`
// function is replaced by a fetch that runs admin.union_* as the operator on
// a test database (as the edge function does: role operator, the session's
// claims), after a small union scenario with two daily runs. The page must
// show the pool's figures of those runs (amounts, counts, the run report's
// paid entries and carry, the queue head), and say so in classic mode.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createTestDatabase, type TestDatabase } from '../../../scripts/db/database';
import { sqlFunctionOf } from '../../../supabase/functions/_shared/admin-contract';
import { App } from '../../../admin/src/App';
import { queryClient } from '../../../admin/src/queryClient';

jest.setTimeout(180_000);

// jsdom has no canvas: the chart renders its option as data, which the test reads.
jest.mock('echarts-for-react', () => ({
  __esModule: true,
  default: ({ option }: { option: unknown }) => <div data-testid="echarts" data-option={JSON.stringify(option)} />,
}));

// postgres.js schedules writes with setImmediate, which jsdom's globals lack.
Object.assign(globalThis, {
  setImmediate: globalThis.setImmediate ?? ((fn: (...a: unknown[]) => void, ...a: unknown[]) => setTimeout(fn, 0, ...a)),
  clearImmediate: globalThis.clearImmediate ?? ((t: ReturnType<typeof setTimeout>) => clearTimeout(t)),
});

const BCRYPT = '$2b$04$r4n93U0zf293/5eTihluIu4hgyPzZRGEnDMCjEyQe6HIrj9KwhoKO';

// Relative to today (T): o0, o1 on T-3 (an acceleration of 4000 into R's seq 1; seq 3 locked for 10 days),
// run T-2 (inflow 3000, nobody paid), o2 on T-2 (seq 4, quota 110000), run T-1 (inflow 48000: seq 1 gets
// 7000, seq 2 11000; 33000 carries). The figures are worked out in supabase/tests/21_admin_union.sql.
const SCENARIO = `
select from rebate.update_settings('{"mode":"union","unionPoolRatio":"50","distribution":{"on":true,"directRatio":"10","accelerationRatio":"20"}}', 'test');
select catalog.upsert_product('{"id":"p1","price":10000,"source":"self","cost":4000}');
select catalog.upsert_product('{"id":"p2","price":10000,"source":"supplier","cost":10000,"queue":{"minWaitDays":10}}');
select members.upsert_member('{"id":"R"}');
select members.upsert_member('{"id":"A","referrer":"R"}');
select members.upsert_member('{"id":"B"}');
create temp view d as select util.local_day(now()) as t;
select orders.pay_order(format('{"id":"o0","user":"R","at":"%sT09:00:00+08:00","lines":[{"product":"p1","paid":10000}]}', t - 3)::jsonb) from d;
select orders.complete_order('o0', ((t - 3) || 'T09:30:00+08:00')::timestamptz) from d;
select orders.pay_order(format('{"id":"o1","user":"A","at":"%sT10:00:00+08:00","lines":[{"product":"p1","paid":10000},{"product":"p2","paid":10000}]}', t - 3)::jsonb) from d;
select orders.complete_order('o1', ((t - 3) || 'T11:00:00+08:00')::timestamptz) from d;
select rebate.union_run_due(((t - 2) || 'T06:00:00+08:00')::timestamptz) from d;
select orders.pay_order(format('{"id":"o2","user":"B","at":"%sT10:00:00+08:00","lines":[{"product":"p1","paid":100000}]}', t - 2)::jsonb) from d;
select orders.complete_order('o2', ((t - 2) || 'T11:00:00+08:00')::timestamptz) from d;
select rebate.union_run_due(((t - 1) || 'T06:00:00+08:00')::timestamptz) from d;
`;

let db: TestDatabase;
let claims = '';
let calls: string[] = [];

async function signIn(): Promise<string> {
  await db.sql.unsafe(`select ops.upsert_operator('boss', '老板', 'admin', '${BCRYPT}')`);
  const signin = await db.sql.begin(async (tx) => {
    await tx.unsafe('set local role operator');
    const [{ r }] = await tx.unsafe<{ r: { sessionId: string; operator: { id: string } } }[]>(
      `select ops.sign_in_finish((select operator_id from ops.sign_in_begin('boss')), true, 3600, 3, 15) as r`,
    );
    return r;
  });
  return JSON.stringify({ aud: 'operator', role: 'operator', sub: signin.operator.id, session_id: signin.sessionId });
}

/** The admin function's SQL step: admin.<fn>(params) as the operator, in one transaction. */
async function callAdmin(body: Record<string, unknown>): Promise<{ status: number; json: unknown }> {
  const { action, ...params } = body;
  calls.push(action as string);
  if (!String(action).startsWith('union.')) return { status: 501, json: { error: { field: 'action', message: '未实现' } } };
  const json = await db.sql.begin(async (tx) => {
    await tx.unsafe('set local role operator');
    await tx.unsafe(`select set_config('request.jwt.claims', $1, true)`, [claims]);
    const [{ r }] = await tx.unsafe<{ r: unknown }[]>(`select admin.${sqlFunctionOf(action as string)}($1::text::jsonb) as r`, [JSON.stringify(params)]);
    return r;
  });
  return { status: 200, json };
}

beforeAll(() => {
  Object.defineProperty(window, 'matchMedia', {
    value: (query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }),
  });
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
  window.scrollTo = () => {};
});

beforeEach(() => {
  calls = [];
  global.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
    const r = await callAdmin(JSON.parse(init?.body ?? '{}'));
    return { ok: r.status < 400, status: r.status, text: async () => JSON.stringify(r.json) } as Response;
  }) as unknown as typeof fetch;
  localStorage.clear();
  localStorage.setItem('qrm.admin.session', JSON.stringify({ token: 'tok', expiresAt: 4102444800, operator: { id: 'op1', login: 'boss', name: '老板', role: 'admin', access: {} } }));
  queryClient.clear();
});

afterEach(async () => {
  // The page first, then its queries: nothing of this test may still query its database while it is dropped.
  cleanup();
  await queryClient.cancelQueries();
  queryClient.clear();
  await db?.drop();
});

// DOM queries, not role queries: getAllByRole over antd tables is very slow in jsdom.
const rowsOf = (table: HTMLElement) => Array.from(table.querySelectorAll<HTMLElement>('tbody tr:not(.ant-table-measure-row)')).filter((r) => r.querySelector('td:not(.ant-table-cell-scrollbar)') && !r.classList.contains('ant-table-placeholder'));
const cellsOf = (row: HTMLElement) => Array.from(row.querySelectorAll('td')).map((c) => c.textContent);

async function localDay(offset: number): Promise<string> {
  const [{ d }] = await db.sql<{ d: string }[]>`select (util.local_day(now()) + ${offset}::int)::text as d`;
  return d;
}

test('after two daily runs the page shows the pool, inflows, the run report and the queue head of the engine', async () => {
  db = await createTestDatabase('admin_union');
  await db.sql.unsafe(SCENARIO);
  claims = await signIn();
  const yesterday = await localDay(-1);
  const locked = await localDay(7);

  window.history.pushState({}, '', '/union');
  render(<App />);
  const balance = await screen.findByTestId('union-balance', {}, { timeout: 20_000 });
  await waitFor(() => expect(balance.textContent).toContain('¥330.00'));
  expect(screen.getByTestId('union-inflow-yesterday').textContent).toContain('¥480.00');
  expect(screen.getByTestId('union-inflow-7d').textContent).toContain('¥510.00'); // 30 + 480
  expect(screen.getByTestId('union-waiting').textContent).toContain('2 条');
  expect(screen.getByTestId('union-waiting').textContent).toContain('1 条未满等待期');
  expect(screen.getByTestId('union-outstanding').textContent).toContain('¥1210.00'); // 110 + 1100
  expect(screen.queryByTestId('union-classic')).toBeNull();
  expect(screen.getByTestId('union-settings-link').getAttribute('href')).toBe('/settings?tab=union');

  // The chart: per run day (T-2, T-1) inflow, payouts and the pool carried, in yuan.
  const option = JSON.parse((await screen.findByTestId('echarts')).getAttribute('data-option')!);
  const before = await localDay(-2);
  await waitFor(() => expect(JSON.parse(screen.getByTestId('echarts').getAttribute('data-option')!).xAxis.data).toEqual([before, yesterday]));
  const series = JSON.parse(screen.getByTestId('echarts').getAttribute('data-option')!).series.map((x: { data: string[] }) => x.data);
  expect(option.series.length).toBe(3);
  expect(series).toEqual([
    ['30.00', '480.00'],
    ['0.00', '180.00'],
    ['30.00', '330.00'],
  ]);

  // The history row of yesterday's run: inflow 480, pool before 30, 2 paid for 180, 330 carried.
  const row = await screen.findByTestId(`union-day-${yesterday}`, {}, { timeout: 10_000 });
  const cells = cellsOf(row);
  expect(cells.slice(0, 7)).toEqual([yesterday, '¥960.00', '¥480.00', '¥30.00', '2', '¥180.00', '¥330.00']);

  // Its report: the entries paid in order, each with what this run paid (seq 1 had 40 from an acceleration).
  await act(async () => {
    fireEvent.click(screen.getByTestId(`union-report-${yesterday}`));
  });
  const entries = await screen.findByTestId('union-report-entries', {}, { timeout: 10_000 });
  await waitFor(() => expect(rowsOf(entries)).toHaveLength(2));
  const paid = rowsOf(entries).map(cellsOf);
  expect(paid).toEqual([
    ['#1', '会员R', 'o0', '¥110.00', '¥40.00', '¥70.00'],
    ['#2', '会员A', 'o1', '¥110.00', '¥0.00', '¥110.00'],
  ]);
  expect(screen.getByTestId('union-report-carry').textContent).toBe('¥330.00');
  expect(screen.getByTestId('union-report-paid').textContent).toBe('¥180.00');

  // The queue head: seq 3 (locked by minWaitDays, keeps its place), then seq 4 with 110 ahead.
  const queue = screen.getByTestId('union-queue');
  await waitFor(() => expect(rowsOf(queue)).toHaveLength(2));
  const head = rowsOf(queue).map(cellsOf);
  expect(head[0].slice(0, 8)).toEqual(['1', '#3', '会员A', 'o1', '¥110.00', '¥0.00', '¥0.00', `${locked}等待期`]);
  expect(head[1].slice(0, 7)).toEqual(['2', '#4', '会员B', 'o2', '¥1100.00', '¥0.00', '¥110.00']);
  expect(calls.filter((a) => !a.startsWith('union.'))).toEqual([]);
});

test('in classic mode the page says union queueing is off', async () => {
  db = await createTestDatabase('admin_union');
  claims = await signIn();
  window.history.pushState({}, '', '/union');
  render(<App />);
  expect(await screen.findByTestId('union-classic', {}, { timeout: 20_000 })).toBeTruthy();
  expect(screen.getByTestId('union-balance').textContent).toContain('¥0.00');
  expect(screen.getByTestId('union-waiting').textContent).toContain('0 条');
});
