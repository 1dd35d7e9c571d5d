import { Text } from '@tarojs/components';
import { formatYuan } from '@/domain/money';

export function Price({ fen, size, plain, strike, testid }: { fen: number; size?: 's' | 'l'; plain?: boolean; strike?: boolean; testid?: string }) {
  const cls = ['price', size ? `price--${size}` : '', plain ? 'price--plain' : '', strike ? 'price--strike' : ''].filter(Boolean).join(' ');
  return (
    <Text className={cls} data-testid={testid}>
      <Text className="price__sign">¥</Text>
      {formatYuan(fen)}
    </Text>
  );
}
