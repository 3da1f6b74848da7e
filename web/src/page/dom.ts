/** The page's small helpers: elements by id, each panel's error box, and guard() around every handler. */
import type { Panel } from '../protocol';

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: element #${id} is missing`);
  return el as T;
};

/** Each panel has its own error box, next to the controls that failed, where the user is looking. */
const errorBox = (panel: Panel) => $(`${panel}-error`);

export function showError(err: unknown, panel: Panel = 'train'): void {
  const box = errorBox(panel);
  box.textContent = err instanceof Error ? err.message : String(err);
  box.hidden = false;
  // The Data panel folds away: unfold it, or its message would not be seen.
  box.closest('details')?.setAttribute('open', '');
}

export function clearError(panel: Panel): void {
  errorBox(panel).textContent = '';
  errorBox(panel).hidden = true;
}

/** Runs a handler (sync or async) and shows whatever it throws in `panel`'s box. */
export function guard(panel: Panel, fn: () => unknown | Promise<unknown>): void {
  try {
    Promise.resolve(fn()).catch((err: unknown) => showError(err, panel));
  } catch (err) {
    showError(err, panel);
  }
}

export const pct = (v: number) => (100 * v).toFixed(2);
export const n = (v: number) => Math.round(v).toLocaleString('en');
