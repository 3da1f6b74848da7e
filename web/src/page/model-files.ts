/** The Models panel: load a model file to score the drawing; download the run's selected ED or backprop model. */
import type { LabClient } from '../client';
import { $, clearError, guard, pct } from './dom';

export function startModelFiles(client: LabClient): void {
  $('model-file').addEventListener('change', () =>
    guard('models', async () => {
      const input = $<HTMLInputElement>('model-file');
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      clearError('models');
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { summary: s } = await client.request(
        'model-loaded',
        (id) => ({ type: 'load-model', id, name: file.name, bytes }),
        [bytes.buffer],
      );
      const rule = s.rule === 'ed' ? `ED (${s.preset})` : 'backprop';
      $('model-status').textContent =
        `${s.name}: ${s.task} · ${rule} · accuracy final ${pct(s.accuracy.final)} %, ` +
        `best ${pct(s.accuracy.best)} % (update ${s.accuracy.bestUpdate}) — scoring the drawing`;
    }),
  );

  async function download(rule: 'ed' | 'backprop'): Promise<void> {
    clearError('models');
    const { bytes, fileName } = await client.request('model-bytes', (id) => ({ type: 'save-model', id, rule }));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    // Revoke later: some browsers start reading the URL only after click() returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  $('download-model').addEventListener('click', () => guard('models', () => download('ed')));
  $('download-bp-model').addEventListener('click', () => guard('models', () => download('backprop')));
}
