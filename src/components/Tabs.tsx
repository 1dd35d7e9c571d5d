import { View } from '@tarojs/components';

export function Tabs<K extends string>({ items, value, onChange, testid = 'tabs' }: { items: { key: K; label: string }[]; value: K; onChange: (k: K) => void; testid?: string }) {
  return (
    <View className="tabs" data-testid={testid}>
      {items.map((it) => (
        <View
          key={it.key}
          className={`tabs__item ${it.key === value ? 'tabs__item--active' : ''}`}
          onClick={() => onChange(it.key)}
          data-testid={`${testid}-${it.key}`}
        >
          {it.label}
        </View>
      ))}
    </View>
  );
}
