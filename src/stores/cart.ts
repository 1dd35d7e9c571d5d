// The cart lives on the device (Taro storage); the server prices it at checkout.
import Taro from '@tarojs/taro';
import { create } from 'zustand';

export interface CartItem {
  productId: string;
  title: string;
  image: string | null;
  price: number;
  quantity: number;
  queueRatio: string | null;
  selected: boolean;
}

const KEY = 'qrm.cart';
const MAX_QTY = 99;

function load(): CartItem[] {
  try {
    const raw = Taro.getStorageSync(KEY) as CartItem[] | '';
    return Array.isArray(raw) ? raw : [];
  } catch {
    return [];
  }
}

function persist(items: CartItem[]): void {
  try {
    Taro.setStorageSync(KEY, items);
  } catch {
    // storage full or unavailable: the cart still works for this session
  }
}

interface CartState {
  items: CartItem[];
  add: (item: Omit<CartItem, 'quantity' | 'selected'>, quantity?: number) => void;
  setQuantity: (productId: string, quantity: number) => void;
  toggle: (productId: string) => void;
  toggleAll: (selected: boolean) => void;
  remove: (productId: string) => void;
  removeSelected: () => void;
}

export const useCart = create<CartState>((set, get) => {
  const update = (items: CartItem[]) => {
    persist(items);
    set({ items });
  };
  return {
    items: load(),
    add: (item, quantity = 1) => {
      const items = get().items;
      const found = items.find((i) => i.productId === item.productId);
      update(
        found
          ? items.map((i) => (i.productId === item.productId ? { ...i, ...item, quantity: Math.min(MAX_QTY, i.quantity + quantity), selected: true } : i))
          : [...items, { ...item, quantity, selected: true }],
      );
    },
    setQuantity: (productId, quantity) =>
      update(get().items.map((i) => (i.productId === productId ? { ...i, quantity: Math.max(1, Math.min(MAX_QTY, quantity)) } : i))),
    toggle: (productId) => update(get().items.map((i) => (i.productId === productId ? { ...i, selected: !i.selected } : i))),
    toggleAll: (selected) => update(get().items.map((i) => ({ ...i, selected }))),
    remove: (productId) => update(get().items.filter((i) => i.productId !== productId)),
    removeSelected: () => update(get().items.filter((i) => !i.selected)),
  };
});

/** Selected total in fen (integers only). */
export function selectedTotal(items: CartItem[]): number {
  return items.filter((i) => i.selected).reduce((sum, i) => sum + i.price * i.quantity, 0);
}
