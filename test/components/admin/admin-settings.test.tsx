// The console's settings screen end to end in jsdom against a fake `admin`
// function (fetch): the signed-in operator changes the extraction ratio, the
// server's preview diff is shown, and only on confirm the patch is sent.
// Plus: signed out → the sign-in page; a 401 → back to sign-in.
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { DEFAULT_SETTINGS } from '@/domain/settings';
import { App } from '../../../admin/src/App';
import { queryClient } from '../../../admin/src/queryClient';

const SITE = { withdrawRule: { minAmount: 100, maxAmount: 500000, feeRatio: '0.6', minFee: 10 }, orderPayMinutes: 30, refundReview: false };
const OPERATOR = { id: 'op1', login: 'ops', name: '运营小王', role: 'admin', access: {} };

type Handler = (body: Record<string, unknown>) => { status?: number; json: unknown };
let calls: Record<string, unknown>[] = [];
let handlers: Record<string, Handler> = {};

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
  handlers = {
    'settings.get': () => ({ json: { settings: DEFAULT_SETTINGS, site: SITE, defaults: DEFAULT_SETTINGS, updatedAt: '2026-12-01T00:00:00Z' } }),
    'members.levels': () => ({ json: { items: [{ id: 'vip1', name: '黄金会员', ratio: '120', teamRatio: null, shareholder: false, rank: 1, memberCount: 3 }] } }),
    'settings.preview': (b) => ({ json: { diff: Object.entries(b.patch as object).map(([path, after]) => ({ path, before: (DEFAULT_SETTINGS as unknown as Record<string, unknown>)[path], after })), after: DEFAULT_SETTINGS, siteAfter: SITE } }),
    'settings.update': (b) => ({ json: { settings: { ...DEFAULT_SETTINGS, ...(b.patch as object) }, site: SITE, diff: [], auditId: '1' } }),
    'compliance.inputs': () => ({
      json: { settings: DEFAULT_SETTINGS, catalogue: { levels: [], products: [{ id: 'p1', price: 10000, cost: 5000, queue: {} }], stores: [], storeProducts: [], cashiers: [] } },
    }),
    'compliance.acknowledge': () => ({ json: { auditId: '7' } }),
  };
  global.fetch = jest.fn(async (_url: unknown, init?: { body?: string }) => {
    const body = JSON.parse(init?.body ?? '{}');
    calls.push(body);
    const h = handlers[body.action as string];
    const r = h ? h(body) : { status: 501, json: { error: { field: 'action', message: '未实现' } } };
    return { ok: (r.status ?? 200) < 400, status: r.status ?? 200, text: async () => JSON.stringify(r.json) } as Response;
  }) as unknown as typeof fetch;
  localStorage.clear();
});

async function renderAt(path: string, signedIn = true) {
  if (signedIn) localStorage.setItem('qrm.admin.session', JSON.stringify({ token: 'tok', expiresAt: 4102444800, operator: OPERATOR }));
  window.history.pushState({}, '', path);
  queryClient.clear();
  return render(<App />);
}

test('change the extraction ratio: field check, server preview diff, confirm sends only the change', async () => {
  await renderAt('/settings');
  fireEvent.click(await screen.findByTestId('settings-tab-ratios', {}, { timeout: 10_000 }));
  const input = (await screen.findByTestId('setting-extractRatio', {}, { timeout: 10_000 })) as HTMLInputElement;
  expect(input.value).toBe('10');

  fireEvent.change(input, { target: { value: '120' } });
  fireEvent.click(screen.getByTestId('settings-save'));
  // The field is marked in error (its message text animates in, which jsdom may not finish) and nothing is sent.
  await waitFor(() => expect(input.closest('.ant-form-item')?.classList.contains('ant-form-item-has-error')).toBe(true), { timeout: 10_000 });
  expect(calls.some((c) => c.action === 'settings.preview')).toBe(false);

  fireEvent.change(input, { target: { value: '40' } });
  fireEvent.click(screen.getByTestId('settings-save'));
  const diff = await screen.findByTestId('settings-diff', {}, { timeout: 10_000 });
  const row = within(diff).getByText('提取比例').closest('tr')!;
  expect(row.textContent).toContain('10');
  expect(row.textContent).toContain('40');
  expect(calls.filter((c) => c.action === 'settings.update')).toHaveLength(0);

  await act(async () => {
    fireEvent.click(screen.getByTestId('settings-confirm'));
  });
  await waitFor(() => expect(calls.filter((c) => c.action === 'settings.update')).toHaveLength(1), { timeout: 10_000 });
  expect(calls.find((c) => c.action === 'settings.update')).toEqual({ action: 'settings.update', patch: { extractRatio: '40' } });
}, 90_000);

test('a change that raises a compliance flag: shown with its amount, saved only once acknowledged, acknowledgement sent first', async () => {
  await renderAt('/settings');
  fireEvent.click(await screen.findByTestId('settings-tab-ratios', {}, { timeout: 10_000 }));
  const input = (await screen.findByTestId('setting-defaultRatio')) as HTMLInputElement;
  await waitFor(() => expect(calls.some((c) => c.action === 'compliance.inputs')).toBe(true));
  fireEvent.change(input, { target: { value: '130' } });
  fireEvent.click(screen.getByTestId('settings-save'));
  // 130% of a ¥100 product owes ¥130: ¥30 above the price, for the base setting and for p1.
  const flags = await screen.findByTestId('settings-compliance', {}, { timeout: 10_000 });
  expect(within(flags).getByTestId('settings-flag-entitlementAbovePrice-settings').textContent).toBe(
    '权益高于实付：基础设置的权益比例最高 130%，高于实付（涉及 ¥30.00 / 每 ¥100）',
  );
  expect(within(flags).getByTestId('settings-flag-entitlementAbovePrice-product:p1').textContent).toContain('¥30.00 / 每件');
  expect(screen.getByTestId('settings-confirm').closest('button')!.disabled).toBe(true);
  fireEvent.click(within(flags).getByTestId('settings-acknowledge'));
  await act(async () => {
    fireEvent.click(screen.getByTestId('settings-confirm'));
  });
  await waitFor(() => expect(calls.filter((c) => c.action === 'settings.update')).toHaveLength(1), { timeout: 10_000 });
  const order = calls.map((c) => c.action).filter((a) => a === 'compliance.acknowledge' || a === 'settings.update');
  expect(order).toEqual(['compliance.acknowledge', 'settings.update']);
  const ack = calls.find((c) => c.action === 'compliance.acknowledge') as { patch: unknown; flags: { subject: string; amount: number }[] };
  expect(ack.patch).toEqual({ defaultRatio: '130' });
  expect(ack.flags.map((f) => [f.subject, f.amount])).toEqual([['settings', 3000], ['product:p1', 3000]]);
}, 60_000);

test('signed out, a console page shows the sign-in form', async () => {
  await renderAt('/settings', false);
  expect(await screen.findByTestId('page-login', {}, { timeout: 10_000 })).toBeTruthy();
  expect(window.location.pathname).toBe('/login');
  expect(calls).toHaveLength(0);
}, 90_000);

test('a 401 from the server ends the session and shows the sign-in form', async () => {
  handlers['settings.get'] = () => ({ status: 401, json: { error: { field: null, message: '登录已过期，请重新登录', code: 'unauthenticated' } } });
  await renderAt('/settings');
  expect(await screen.findByTestId('page-login', {}, { timeout: 10_000 })).toBeTruthy();
  expect(localStorage.getItem('qrm.admin.session')).toBeNull();
}, 90_000);
