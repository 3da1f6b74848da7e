/**
 * A closer look at an MNIST run's ED model on its validation split (never the test split): the confusion matrix,
 * a gallery of misclassified digits, and one sample digit per class to score with a click. Sent after an
 * evaluation at most once a second while it trains, and when it stops.
 */
import { confusionMatrix, predictRows } from 'edlearn/browser';
import { post, type Run } from './state';

const GALLERY = 24;
let sentAt = 0;

export function postInspection(r: Run, force = false): void {
  if (r.points) return;
  const now = performance.now();
  if (!force && now - sentAt < 1000) return;
  sentAt = now;
  const { session } = r.ed;
  const split = r.task.validation;
  const N = r.task.inputs;
  if (split.count === 0 || !(split.x instanceof Uint8Array)) return;
  const { predicted } = predictRows(r.ed.rule, session.validationRows);
  const matrix = confusionMatrix(split.labels, predicted, r.task.classes);
  const image = (i: number) => (split.x as Uint8Array).slice(i * N, (i + 1) * N);
  const wrong: { image: Uint8Array; label: number; predicted: number }[] = [];
  for (let i = 0; i < split.count && wrong.length < GALLERY; i++) {
    if (predicted[i] !== split.labels[i])
      wrong.push({ image: image(i), label: split.labels[i], predicted: predicted[i] });
  }
  const samples: { image: Uint8Array; label: number }[] = [];
  for (let c = 0; c < r.task.classes; c++) {
    const i = split.labels.indexOf(c);
    if (i >= 0) samples.push({ image: image(i), label: c });
  }
  post({ type: 'inspection', classNames: r.task.classNames, update: session.update, matrix, wrong, samples });
}
