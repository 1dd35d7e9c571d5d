import { Image, Text, View } from '@tarojs/components';
import { Price } from '@/components/Price';
import { StateView } from '@/components/StateView';
import { go } from '@/routes';
import { selectedTotal, useCart } from '@/stores/cart';
import { ratioText } from '@/utils/format';
import './index.scss';

export default function CartPage() {
  const { items, toggle, toggleAll, setQuantity, remove } = useCart();
  const selected = items.filter((i) => i.selected);
  const allSelected = items.length > 0 && selected.length === items.length;
  const total = selectedTotal(items);

  return (
    <View className="page page--with-bar" data-testid="page-cart">
      <StateView
        empty={items.length === 0}
        emptyIcon="空"
        emptyText="购物车是空的"
        emptyAction={
          <View className="btn btn--small" onClick={() => go('home')} data-testid="cart-go-shopping">
            去逛逛
          </View>
        }
        testid="cart"
      >
        {items.map((i) => (
          <View className="card row" key={i.productId} data-testid={`cart-item-${i.productId}`}>
            <View className={`cart__check ${i.selected ? 'cart__check--on' : ''}`} onClick={() => toggle(i.productId)} data-testid={`cart-check-${i.productId}`}>
              {i.selected ? '✓' : ''}
            </View>
            {i.image ? <Image className="cart__image" src={i.image} mode="aspectFill" /> : <View className="cart__image image-placeholder">暂无图片</View>}
            <View className="flex1" style={{ marginLeft: '12px' }}>
              <View className="ellipsis-2" onClick={() => go('product', { id: i.productId })}>
                {i.title}
              </View>
              {i.queueRatio && <Text className="tag tag--accent">排队权益 {ratioText(i.queueRatio)}</Text>}
              <View className="row row--between mt-s">
                <Price fen={i.price} />
                <View className="row">
                  <View className="cart__step" onClick={() => (i.quantity > 1 ? setQuantity(i.productId, i.quantity - 1) : remove(i.productId))} data-testid={`cart-minus-${i.productId}`}>
                    −
                  </View>
                  <Text className="cart__qty" data-testid={`cart-qty-${i.productId}`}>
                    {i.quantity}
                  </Text>
                  <View className="cart__step" onClick={() => setQuantity(i.productId, i.quantity + 1)} data-testid={`cart-plus-${i.productId}`}>
                    +
                  </View>
                </View>
              </View>
            </View>
          </View>
        ))}
        <View className="action-bar">
          <View className="row" onClick={() => toggleAll(!allSelected)} data-testid="cart-check-all">
            <View className={`cart__check ${allSelected ? 'cart__check--on' : ''}`}>{allSelected ? '✓' : ''}</View>
            <Text>全选</Text>
          </View>
          <View className="flex1" style={{ textAlign: 'right', marginRight: '12px' }}>
            <Text className="muted">合计 </Text>
            <Price fen={total} testid="cart-total" />
          </View>
          <View className={`btn ${selected.length === 0 ? 'btn--disabled' : ''}`} onClick={selected.length ? () => go('checkout', { from: 'cart' }) : undefined} data-testid="cart-checkout">
            结算({selected.length})
          </View>
        </View>
      </StateView>
    </View>
  );
}
