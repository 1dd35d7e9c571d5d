// Amount keypad in yuan text ("12.5"); the caller turns it into fen with decimal.js.
import { View } from '@tarojs/components';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '.', '0', 'del'];

export function nextAmountText(current: string, key: string): string {
  if (key === 'del') return current.slice(0, -1);
  if (key === '.') {
    if (current.includes('.')) return current;
    return current === '' ? '0.' : `${current}.`;
  }
  const [intPart, dec] = current.split('.');
  if (dec !== undefined && dec.length >= 2) return current;
  if (dec === undefined && intPart.length >= 7) return current; // up to 9,999,999 yuan
  if (current === '0') return key;
  return current + key;
}

export function Keypad({ value, onChange, testid = 'keypad' }: { value: string; onChange: (v: string) => void; testid?: string }) {
  return (
    <View className="keypad" data-testid={testid}>
      {KEYS.map((k) => (
        <View key={k} className="keypad__key" onClick={() => onChange(nextAmountText(value, k))} data-testid={`${testid}-${k === '.' ? 'dot' : k}`}>
          {k === 'del' ? '⌫' : k}
        </View>
      ))}
    </View>
  );
}
