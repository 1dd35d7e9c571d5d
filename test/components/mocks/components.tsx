// Jest stand-in for @tarojs/components: each Taro component as a plain DOM
// element; Taro-only props are dropped, data-* / className / style / id kept,
// and Input/Switch report changes the way Taro does (e.detail.value).
import { createElement, type ReactNode } from 'react';

type Props = Record<string, unknown> & { children?: ReactNode };

const KEEP = /^(data-|aria-)|^(className|style|id|children|onClick|src|placeholder|value|type|disabled|checked|role)$/;

function domProps(props: Props): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) if (KEEP.test(k)) out[k] = v;
  return out;
}

function tag(name: string, el: string) {
  const C = (props: Props) => createElement(el, domProps(props), props.children);
  C.displayName = name;
  return C;
}

export const View = tag('View', 'div');
export const Text = tag('Text', 'span');
export const Button = tag('Button', 'button');
export const ScrollView = tag('ScrollView', 'div');
export const Swiper = tag('Swiper', 'div');
export const SwiperItem = tag('SwiperItem', 'div');
export const Label = tag('Label', 'label');
export const Form = tag('Form', 'form');
export const Canvas = tag('Canvas', 'canvas');

export function Image(props: Props) {
  return createElement('img', domProps(props));
}

function inputLike(el: 'input' | 'textarea') {
  const C = (props: Props) => {
    const { onInput, onConfirm, type } = props as { onInput?: (e: unknown) => void; onConfirm?: (e: unknown) => void; type?: string };
    return createElement(el, {
      ...domProps(props),
      type: el === 'input' ? (type === 'digit' || type === 'number' ? 'text' : type) : undefined,
      value: (props.value as string) ?? '',
      onChange: (e: { target: { value: string } }) => onInput?.({ detail: { value: e.target.value } }),
      onKeyDown: (e: { key: string; currentTarget: { value: string } }) => {
        if (e.key === 'Enter') onConfirm?.({ detail: { value: e.currentTarget.value } });
      },
    });
  };
  return C;
}

export const Input = inputLike('input');
export const Textarea = inputLike('textarea');

export function Switch(props: Props) {
  const { onChange, checked } = props as { onChange?: (e: unknown) => void; checked?: boolean };
  return createElement('input', {
    ...domProps(props),
    type: 'checkbox',
    checked: !!checked,
    onChange: (e: { target: { checked: boolean } }) => onChange?.({ detail: { value: e.target.checked } }),
  });
}
