/**
 * The Validation panel of an MNIST run: the confusion matrix (a table: rows the true class, columns the predicted
 * one), misclassified validation digits and one sample digit per class, each a button that scores it in the Draw
 * panel — the keyboard's way to try the model without drawing.
 */
import { showImage } from '../draw';
import type { FromWorker } from '../protocol';
import { $, n } from './dom';
import { scoreChosen } from './draw-view';

type Inspection = Extract<FromWorker, { type: 'inspection' }>;

export function showInspection(msg: Inspection): void {
  $('inspect-panel').hidden = false;
  $('inspect-update').textContent = n(msg.update);
  const names = msg.classNames;
  const table = $<HTMLTableElement>('confusion');
  const head = document.createElement('tr');
  head.append(cell('th', 'true ╲ predicted'), ...names.map((c) => cell('th', c, 'col')));
  const max = Math.max(1, ...msg.matrix.flat());
  const rows = msg.matrix.map((row, t) => {
    const tr = document.createElement('tr');
    tr.append(
      cell('th', names[t], 'row'),
      ...row.map((count, p) => {
        const td = cell('td', n(count));
        // Shade by count; mistakes (off the diagonal) in the error colour. Text stays dark on light shades.
        const a = Math.min(0.6, (0.6 * count) / max);
        td.style.background =
          count === 0 ? '' : t === p ? `rgba(36, 113, 163, ${a})` : `rgba(192, 57, 43, ${Math.max(0.15, a)})`;
        return td;
      }),
    );
    return tr;
  });
  table.replaceChildren(head, ...rows);
  $('wrong').replaceChildren(
    ...msg.wrong.map((w) =>
      digitButton(
        w.image,
        `validation digit: true ${names[w.label]}, predicted ${names[w.predicted]}`,
        `${names[w.label]} as ${names[w.predicted]}`,
        w.label,
      ),
    ),
  );
  $('wrong-none').hidden = msg.wrong.length > 0;
  $('samples').replaceChildren(
    ...msg.samples.map((s) => digitButton(s.image, `validation digit ${names[s.label]}`, names[s.label], s.label)),
  );
}

function cell(tag: 'th' | 'td', text: string, scope?: 'row' | 'col'): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  if (scope) c.scope = scope;
  return c;
}

function digitButton(image: Uint8Array, label: string, caption: string, cls: number): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'digit';
  // The name starts with the visible caption (WCAG 2.5.3, label in name).
  button.setAttribute('aria-label', `${caption}: score ${label}`);
  const canvas = document.createElement('canvas');
  showImage(canvas, image);
  const text = document.createElement('span');
  text.textContent = caption;
  button.append(canvas, text);
  button.addEventListener('click', () => scoreChosen(image, label, cls));
  return button;
}
