// WCAG 2.2 contrast of the lab's graphics, which axe-core cannot see inside a canvas: every line, mark and outline
// at least 3:1 against what it is drawn on (1.4.11), text on the charts at least 4.5:1 (1.4.3) — the colours of
// web/src/palette.ts, which every chart, drawing and heat map takes its colours from, and the score bars of
// web/src/style.css with the text on them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BACKGROUND, contrastPairs } from '../web/src/palette.js';
import { ROOT } from './helpers.js';

/** WCAG 2.2's relative luminance of a #rrggbb colour, and the contrast ratio of two. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

test('the ratio is WCAG’s: black on white 21:1, #767676 on white just over 4.5:1', () => {
  assert.equal(ratio('#000000', '#ffffff'), 21);
  assert.ok(ratio('#767676', '#ffffff') > 4.5 && ratio('#777777', '#ffffff') < 4.5);
});

test('every colour the graphics draw with meets its contrast against what it is drawn on', () => {
  const pairs = contrastPairs();
  assert.ok(pairs.length >= 14);
  for (const [what, fg, bg, need] of pairs)
    assert.ok(ratio(fg, bg) >= need, `${what}: ${fg} on ${bg} is ${ratio(fg, bg).toFixed(2)}:1, needs ${need}:1`);
});

test('the score bars: at least 3:1 against the panel, and their text at least 4.5:1 on them', () => {
  const css = readFileSync(join(ROOT, 'web/src/style.css'), 'utf8');
  const bars = [...css.matchAll(/\.scores li(?:\.best)? \{[^}]*linear-gradient\(to right, (#[0-9a-f]{6})/g)].map(
    (m) => m[1],
  );
  assert.equal(bars.length, 2, 'the plain and the predicted class’s bar');
  const text = /:root \{[^}]*?\bcolor: (#[0-9a-f]{6})/.exec(css)?.[1];
  assert.ok(text, 'the page’s text colour');
  for (const bar of bars) {
    assert.ok(ratio(bar, BACKGROUND) >= 3, `bar ${bar}: ${ratio(bar, BACKGROUND).toFixed(2)}:1 against the panel`);
    assert.ok(ratio(text, bar) >= 4.5, `text ${text} on bar ${bar}: ${ratio(text, bar).toFixed(2)}:1`);
  }
});
