jest.mock('@/services/api', () => require('./api-mock'));

import { act, fireEvent } from '@testing-library/react';
import ProductPage from '@/packages/shop/pages/product/index';
import CartPage from '@/packages/shop/pages/cart/index';
import CheckoutPage from '@/packages/shop/pages/checkout/index';
import OrdersPage from '@/packages/shop/pages/orders/index';
import OrderPage from '@/packages/shop/pages/order/index';
import RefundPage from '@/packages/shop/pages/refund/index';
import { useCart } from '@/stores/cart';
import type { ApiResponse } from '@contract';
import { ApiError, callsOf } from './api-mock';
import { order, preview, product } from './fixtures';
import { byId, findId, queryId, renderPage, setup } from './helpers';
import Taro from './mocks/taro';

const detail: ApiResponse<'catalog.product'> = {
  product: { ...product, images: [], description: '东北五常产', stock: 10, store: null },
  queue: preview,
};

describe('商品详情 product', () => {
  test('loading', async () => {
    setup({ 'catalog.product': 'pending' }, { id: 'p1' });
    await renderPage(<ProductPage />);
    expect(byId('product-loading')).toBeTruthy();
  });

  test('queue rebate preview: entitlement, queue length, amount ahead, estimate labelled', async () => {
    setup({ 'catalog.product': detail }, { id: 'p1' });
    await renderPage(<ProductPage />);
    expect(byId('product-price').textContent).toBe('¥168.00');
    expect(byId('queue-preview-entitlement').textContent).toBe('¥218.40');
    expect(byId('queue-preview-waiting').textContent).toBe('12');
    expect(byId('queue-preview-ahead').textContent).toBe('¥1530.00');
    expect(byId('queue-preview-estimate-text').textContent).toBe('2026-12-06 至 2026-12-20 返完（约 18 天）');
    expect(byId('queue-preview-estimate-basis').textContent).toBe('（按近7日日均流入 ¥85.00 估算，仅供参考，不构成返还承诺）');
    expect(byId('queue-disclaimer').textContent).toContain('不承诺');
  });

  test('queue off', async () => {
    setup({ 'catalog.product': { ...detail, queue: null } }, { id: 'p1' });
    await renderPage(<ProductPage />);
    expect(byId('queue-preview-off')).toBeTruthy();
  });

  test('error: not found', async () => {
    setup({ 'catalog.product': new ApiError('内容不存在或已下架', 404) }, { id: 'px' });
    await renderPage(<ProductPage />);
    expect(byId('product-error').textContent).toContain('已下架');
  });

  test('add to cart with quantity; buy now goes to checkout', async () => {
    useCart.setState({ items: [] });
    setup({ 'catalog.product': detail }, { id: 'p1' });
    await renderPage(<ProductPage />);
    fireEvent.click(byId('product-qty-plus'));
    fireEvent.click(byId('product-add-cart'));
    expect(useCart.getState().items).toEqual([expect.objectContaining({ productId: 'p1', quantity: 2, price: 16800 })]);
    fireEvent.click(byId('product-buy'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/shop/pages/checkout/index?productId=p1&qty=2' });
  });
});

describe('购物车 cart', () => {
  test('empty', async () => {
    useCart.setState({ items: [] });
    setup({});
    await renderPage(<CartPage />);
    expect(byId('cart-empty')).toBeTruthy();
  });

  test('total of selected lines in fen, quantities, checkout', async () => {
    useCart.setState({
      items: [
        { productId: 'p1', title: '大米', image: null, price: 16800, quantity: 1, queueRatio: '130', selected: true },
        { productId: 'p2', title: '鸡蛋', image: null, price: 4510, quantity: 3, queueRatio: null, selected: true },
      ],
    });
    setup({});
    await renderPage(<CartPage />);
    expect(byId('cart-total').textContent).toBe('¥303.30');
    fireEvent.click(byId('cart-check-p2'));
    expect(byId('cart-total').textContent).toBe('¥168.00');
    fireEvent.click(byId('cart-plus-p1'));
    expect(byId('cart-total').textContent).toBe('¥336.00');
    fireEvent.click(byId('cart-checkout'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/shop/pages/checkout/index?from=cart' });
  });
});

describe('结算 checkout', () => {
  const pv = (usePoints: boolean): ApiResponse<'orders.preview'> => ({
    lines: [{ productId: 'p1', title: '大米', image: null, price: 16800, quantity: 1, paid: usePoints ? 15800 : 16800, queue: preview }],
    goodsTotal: 16800,
    points: { balance: 1000, used: usePoints ? 1000 : 0, deduction: usePoints ? 1000 : 0 },
    love: { balance: 0, used: 0, deduction: 0 },
    coupon: { balance: 0, deduction: 0 },
    payable: usePoints ? 15800 : 16800,
    deductionOrders: 'noJoin',
  });

  test('no lines → error state', async () => {
    setup({});
    await renderPage(<CheckoutPage />);
    expect(byId('checkout-error').textContent).toContain('没有要结算的商品');
  });

  test('server error shown in Chinese', async () => {
    setup({ 'orders.preview': new ApiError('库存不足', 409, 'lines.0.quantity') }, { productId: 'p1', qty: '1' });
    await renderPage(<CheckoutPage />);
    expect(byId('checkout-error').textContent).toContain('库存不足');
  });

  test('points deduction re-prices; noJoin warning; pay with WeChat Pay then open the order', async () => {
    setup(
      {
        'orders.preview': (p) => pv(p.usePoints),
        'orders.checkout': { orderId: 'o9', payable: 15800, payment: { kind: 'wechat', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'RSA', paySign: 's' } },
      },
      { productId: 'p1', qty: '1' },
    );
    await renderPage(<CheckoutPage />);
    expect(byId('checkout-payable').textContent).toBe('¥168.00');
    await act(async () => fireEvent.click(byId('checkout-use-points')));
    expect(byId('checkout-payable').textContent).toBe('¥158.00');
    expect(byId('checkout-points-deduction').textContent).toBe('-¥10.00');
    expect(byId('checkout-nojoin')).toBeTruthy();
    expect(byId('checkout-line-0-estimate-text').textContent).toBe('2026-12-06 至 2026-12-20 返完（约 18 天）');
    expect(byId('checkout-line-0-estimate-basis').textContent).toContain('¥85.00');
    await act(async () => fireEvent.click(byId('checkout-pay')));
    expect(callsOf('orders.checkout')[0]).toEqual({ lines: [{ productId: 'p1', quantity: 1 }], usePoints: true, useLove: false, useCoupon: false, platform: 'weapp' });
    expect(Taro.requestPayment).toHaveBeenCalledWith({ timeStamp: '1', nonceStr: 'n', package: 'prepay_id=x', signType: 'RSA', paySign: 's' });
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/shop/pages/order/index?id=o9&paid=1' });
  });

  test('sandbox payment asks to confirm, then confirms on the server', async () => {
    setup(
      {
        'orders.preview': pv(false),
        'orders.checkout': { orderId: 'o9', payable: 16800, payment: { kind: 'sandbox', paymentId: 'pay1' } },
        'pay.sandboxConfirm': { orderId: 'o9', status: 'paid' },
      },
      { productId: 'p1' },
    );
    await renderPage(<CheckoutPage />);
    await act(async () => fireEvent.click(byId('checkout-pay')));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: expect.stringContaining('¥168.00') }));
    expect(callsOf('pay.sandboxConfirm')).toEqual([{ paymentId: 'pay1' }]);
  });

  test('cancelled WeChat payment keeps the unpaid order', async () => {
    setup({ 'orders.preview': pv(false), 'orders.checkout': { orderId: 'o9', payable: 16800, payment: { kind: 'wechat', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'RSA', paySign: 's' } } }, { productId: 'p1' });
    Taro.requestPayment.mockImplementation(() => Promise.reject({ errMsg: 'requestPayment:fail cancel' }));
    await renderPage(<CheckoutPage />);
    await act(async () => fireEvent.click(byId('checkout-pay')));
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/shop/pages/order/index?id=o9' });
  });
});

describe('订单 orders', () => {
  test('empty and data', async () => {
    setup({ 'orders.list': { items: [], nextCursor: null } });
    await renderPage(<OrdersPage />);
    expect(byId('orders-empty')).toBeTruthy();
  });

  test('list with status; filter from the query', async () => {
    setup({ 'orders.list': { items: [{ orderId: 'o1', kind: 'cashier', status: 'unpaid', title: '幸福便利店', image: null, itemCount: 1, payable: 1250, createdAt: '2026-11-20T10:00:00+08:00' }], nextCursor: null } }, { status: 'unpaid' });
    await renderPage(<OrdersPage />);
    expect(byId('order-o1').textContent).toContain('待支付');
    expect(byId('order-o1').textContent).toContain('12.50');
    expect(callsOf('orders.list')[0]).toEqual(expect.objectContaining({ status: 'unpaid' }));
  });

  test('detail: amounts, the created entry, refund button', async () => {
    setup({ 'orders.detail': order }, { id: 'o1', paid: '1' });
    await renderPage(<OrderPage />);
    expect(byId('order-status').textContent).toBe('已支付');
    expect(byId('order-payable').textContent).toBe('¥168.00');
    expect(byId('entry-e1-pending').textContent).toBe('¥218.40');
    fireEvent.click(byId('order-refund-btn'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/shop/pages/refund/index?id=o1' });
    expect(queryId('order-pay')).toBeNull();
  });

  test('detail error', async () => {
    setup({ 'orders.detail': new ApiError('内容不存在或已下架', 404) }, { id: 'o404' });
    await renderPage(<OrderPage />);
    expect(byId('order-error')).toBeTruthy();
  });
});

describe('退款 refund', () => {
  test('submits the reason; server error shown', async () => {
    setup({ 'orders.refund': new ApiError('订单已完成，无法退款', 409, 'orderId') }, { id: 'o1' });
    await renderPage(<RefundPage />);
    fireEvent.click(byId('refund-reason-质量问题'));
    fireEvent.change(byId('refund-detail'), { target: { value: '米有虫' } });
    await act(async () => fireEvent.click(byId('refund-submit')));
    expect(callsOf('orders.refund')).toEqual([{ orderId: 'o1', reason: '质量问题：米有虫' }]);
    expect((await findId('refund-error')).textContent).toContain('无法退款');
  });
});
