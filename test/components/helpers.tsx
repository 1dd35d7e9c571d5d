import { act, render, screen, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { hooks, resetTaro, router } from './mocks/taro';
import { setHandlers, type Handlers } from './api-mock';
import { DEFAULT_DISPLAY, useSettings } from '@/stores/settings';

export function setup(handlers: Handlers, params: Record<string, string> = {}): void {
  resetTaro();
  router.params = params;
  setHandlers(handlers);
  useSettings.setState({ ...DEFAULT_DISPLAY, display: { ...DEFAULT_DISPLAY.display }, loaded: true });
}

export async function renderPage(el: ReactElement): Promise<RenderResult> {
  let r!: RenderResult;
  await act(async () => {
    r = render(el);
  });
  return r;
}

/** The page shows again (back from another page). */
export async function showAgain(): Promise<void> {
  await act(async () => {
    for (const cb of [...hooks.didShow]) cb();
  });
}

/** Runs the page's pull-to-refresh handlers. */
export async function pullDown(): Promise<void> {
  await act(async () => {
    for (const cb of [...hooks.pullDown]) cb();
  });
}

export const byId = (id: string) => screen.getByTestId(id);
export const queryId = (id: string) => screen.queryByTestId(id);
export const findId = (id: string) => screen.findByTestId(id);
