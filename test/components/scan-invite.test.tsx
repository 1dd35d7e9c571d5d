jest.mock('@/services/api', () => require('./api-mock'));

// 扫一扫 and invites: each code kind opens its page (typed, pasted as a
// link, or read by WeChat's scanner), a code that is not ours says so and
// opens nothing; the promoter's merchant invite reaches merchant.apply as
// recruiterScene; the cashier receipt shows the order number.
import { act, fireEvent } from '@testing-library/react';
import ScanPage from '@/packages/shop/pages/scan/index';
import ApplyPage from '@/packages/merchant/pages/apply/index';
import InvitePage from '@/packages/promoter/pages/invite/index';
import ReceiptPage from '@/packages/cashier/pages/receipt/index';
import Home from '@/pages/home/index';
import { BAD_CODE } from '@/services/scan';
import { parseScannedCode, recruiterSceneFrom } from '@/utils/scene';
import { ApiError, callsOf } from './api-mock';
import { order } from './fixtures';
import { byId, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const H5 = 'http://127.0.0.1:10086/';

describe('parseScannedCode', () => {
  test.each([
    ['c-noodle-1', { kind: 'cashier', cashierId: 'c-noodle-1' }],
    ['c=c-noodle-1', { kind: 'cashier', cashierId: 'c-noodle-1' }],
    [`${H5}#/packages/cashier/pages/pay/index?scene=c%3Dc-noodle-1`, { kind: 'cashier', cashierId: 'c-noodle-1' }],
    ['packages/cashier/pages/pay/index?scene=c-fruit-1', { kind: 'cashier', cashierId: 'c-fruit-1' }],
    ['p=p-rice', { kind: 'product', productId: 'p-rice' }],
    [`${H5}#/packages/shop/pages/product/index?id=p-tea`, { kind: 'product', productId: 'p-tea' }],
    ['i=AB12CD', { kind: 'invite', scene: 'i=AB12CD' }],
    ['i%3DAB12CD', { kind: 'invite', scene: 'i=AB12CD' }],
    [`${H5}#/pages/home/index?scene=i%3DAB12CD`, { kind: 'invite', scene: 'i=AB12CD' }],
    [`${H5}?invite=AB12CD#/pages/home/index?invite=AB12CD`, { kind: 'invite', scene: 'i=AB12CD' }],
    ['pages/home/index?scene=i%3DAB12CD', { kind: 'invite', scene: 'i=AB12CD' }],
    ['m=AB12CD', { kind: 'merchantInvite', recruiterScene: 'i=AB12CD' }],
    [`${H5}#/packages/merchant/pages/apply/index?scene=m%3DAB12CD`, { kind: 'merchantInvite', recruiterScene: 'i=AB12CD' }],
    ['packages/merchant/pages/apply/index?scene=m%3DAB12CD', { kind: 'merchantInvite', recruiterScene: 'i=AB12CD' }],
  ])('%s', (text, target) => {
    expect(parseScannedCode(text)).toEqual(target);
  });

  test.each([
    [''],
    ['   '],
    [null],
    ['https://example.com/some/page'],
    [`${H5}#/pages/home/index`],
    [`${H5}#/packages/cashier/pages/pay/index`],
    [`${H5}#/packages/shop/pages/product/index?id=`],
    ['i=not a code'],
    ['m='],
    ['p=<script>'],
    ['收款码'],
    ['x'.repeat(501)],
  ])('not ours: %s', (text) => {
    expect(parseScannedCode(text)).toBeNull();
  });

  test('recruiterSceneFrom: m= or i= scene, recruiter=, or nothing', () => {
    expect(recruiterSceneFrom({ scene: 'm%3DAB12CD' })).toBe('i=AB12CD');
    expect(recruiterSceneFrom({ scene: 'i=AB12CD' })).toBe('i=AB12CD');
    expect(recruiterSceneFrom({ recruiter: 'AB12CD' })).toBe('i=AB12CD');
    expect(recruiterSceneFrom({})).toBeNull();
    expect(recruiterSceneFrom({ scene: 'm=bad code' })).toBeNull();
  });
});

describe('扫一扫 page', () => {
  async function open(code: string) {
    await renderPage(<ScanPage />);
    fireEvent.change(byId('scan-code'), { target: { value: code } });
    await act(async () => fireEvent.click(byId('scan-submit')));
  }

  test('a cashier code opens the cashier', async () => {
    setup({});
    await open(`${H5}#/packages/cashier/pages/pay/index?scene=c%3Dc-noodle-1`);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/cashier/pages/pay/index?cashierId=c-noodle-1' });
    expect(queryId('scan-code-error')).toBeNull();
  });

  test('a product code opens the product', async () => {
    setup({});
    await open('p=p-rice');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/shop/pages/product/index?id=p-rice' });
  });

  test('a merchant invite opens the application with the recruiter', async () => {
    setup({});
    await open('m=AB12CD');
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/merchant/pages/apply/index?recruiter=AB12CD' });
  });

  test('an invite code binds the inviter and says so', async () => {
    setup({ 'promoter.bind': { bound: true, referrer: { maskedName: '爱**' }, reason: 'bound' } });
    await open(`${H5}#/pages/home/index?scene=i%3DAB12CD`);
    expect(callsOf('promoter.bind')).toEqual([{ scene: 'i=AB12CD' }]);
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已绑定邀请人 爱**', icon: 'success' }));
  });

  test('an invite for a member already bound says so', async () => {
    setup({ 'promoter.bind': { bound: false, referrer: null, reason: 'alreadyBound' } });
    await open('i=AB12CD');
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '你已绑定过邀请人' }));
  });

  test('an invite the server refuses shows its message', async () => {
    setup({ 'promoter.bind': new ApiError('邀请码无效', 400, 'scene') });
    await open('i=AB12CD');
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '邀请码无效' }));
  });

  test('a code that is not ours: an error next to the field, nothing opened, nothing sent', async () => {
    setup({});
    await open('https://example.com/other-shop');
    expect(byId('scan-code-error').textContent).toBe(BAD_CODE);
    expect(Taro.navigateTo).not.toHaveBeenCalled();
    expect(callsOf('promoter.bind')).toEqual([]);
  });

  test('an empty field asks for a code', async () => {
    setup({});
    await open('  ');
    expect(byId('scan-code-error').textContent).toBe('请输入或粘贴二维码内容');
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });

  test('weapp: the scanner reads a mini-program code (path) and opens its page', async () => {
    setup({});
    Taro.scanCode.mockImplementation(() => Promise.resolve({ result: '', path: 'packages/cashier/pages/pay/index?scene=c%3Dc-fruit-1' }));
    await renderPage(<ScanPage />);
    await act(async () => fireEvent.click(byId('scan-camera')));
    expect(Taro.scanCode).toHaveBeenCalled();
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/cashier/pages/pay/index?cashierId=c-fruit-1' });
  });

  test('weapp: a QR code of another kind says it cannot be used; a cancelled scan says nothing', async () => {
    setup({});
    Taro.scanCode.mockImplementation(() => Promise.resolve({ result: 'https://example.com/x' }));
    await renderPage(<ScanPage />);
    await act(async () => fireEvent.click(byId('scan-camera')));
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: BAD_CODE }));
    expect(Taro.navigateTo).not.toHaveBeenCalled();
    Taro.showToast.mockClear();
    Taro.scanCode.mockImplementation(() => Promise.reject(new Error('scanCode:fail cancel')));
    await act(async () => fireEvent.click(byId('scan-camera')));
    expect(Taro.showToast).not.toHaveBeenCalled();
  });

  test('home: 扫一扫 opens the scanner in weapp', async () => {
    setup({ 'catalog.home': 'pending' });
    Taro.scanCode.mockImplementation(() => Promise.resolve({ result: `${H5}#/packages/shop/pages/product/index?id=p-oil` }));
    await renderPage(<Home />);
    await act(async () => fireEvent.click(byId('home-scan')));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/shop/pages/product/index?id=p-oil' });
  });
});

describe('merchant invite', () => {
  const fill: Record<string, string> = { storeName: '幸福便利店', category: '便利店', contactName: '王五', phone: '13800000000', address: '城东路1号', licenseNo: '91440300MA5FXXXX1X' };
  async function apply(params: Record<string, string>) {
    setup({ 'merchant.apply': { applicationId: 'a1', status: 'pending' } }, params);
    await renderPage(<ApplyPage />);
    for (const [k, v] of Object.entries(fill)) fireEvent.change(byId(`apply-${k}`), { target: { value: v } });
    await act(async () => fireEvent.click(byId('apply-submit')));
  }

  test('the application opened from the merchant invite code (scene m=) sends recruiterScene', async () => {
    await apply({ scene: 'm%3DAB12CD' });
    expect(byId('apply-recruiter').textContent).toContain('AB12CD');
    expect(callsOf('merchant.apply')).toEqual([{ ...fill, intro: '', recruiterScene: 'i=AB12CD' }]);
  });

  test('opened from 扫一扫 (recruiter=) sends it too', async () => {
    await apply({ recruiter: 'AB12CD' });
    expect(callsOf('merchant.apply')).toEqual([{ ...fill, intro: '', recruiterScene: 'i=AB12CD' }]);
  });

  test('without an invite no recruiterScene is sent', async () => {
    await apply({});
    expect(queryId('apply-recruiter')).toBeNull();
    expect(callsOf('merchant.apply')).toEqual([{ ...fill, intro: '' }]);
  });

  test("the promoter's invite page shows the merchant invite code", async () => {
    setup({
      'promoter.inviteCode': {
        scene: 'i=AB12CD',
        path: 'pages/home/index',
        wxacodeBase64: 'iVBORw0KGgoA',
        url: `${H5}#/pages/home/index?scene=i%3DAB12CD`,
        merchantInvite: { scene: 'm=AB12CD', path: 'packages/merchant/pages/apply/index', wxacodeBase64: 'iVBORw0KGgoB', url: `${H5}#/packages/merchant/pages/apply/index?scene=m%3DAB12CD` },
      },
    });
    await renderPage(<InvitePage />);
    expect(byId('merchant-invite-qr').getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgoB');
    expect(byId('merchant-invite-scene').textContent).toContain('m=AB12CD');
    // what the code opens is an application with this recruiter
    expect(parseScannedCode('packages/merchant/pages/apply/index?scene=m%3DAB12CD')).toEqual({ kind: 'merchantInvite', recruiterScene: 'i=AB12CD' });
  });
});

test('the cashier receipt shows the order number', async () => {
  setup({ 'orders.detail': { order: { ...order.order, orderId: 'O20261203000123', kind: 'cashier', payable: 1250 } } }, { orderId: 'O20261203000123' });
  await renderPage(<ReceiptPage />);
  expect(byId('receipt-order-no').textContent).toBe('订单号 O20261203000123');
});
