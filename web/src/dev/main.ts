/**
 * The dev page's entry (dev.html, built by `npm run web:build -- --mode dev`): the lab on the dev worker, plus
 * window.edlearnLab, the hook the browser test and bench/browser.ts drive: predictions of the current model, the
 * live numbers, and weight checksums of the run the form describes. The production page has neither.
 */
import { isolateOrReload } from '../isolate';
import { startLab, lab } from '../lab';
import type { Prediction, Settings } from '../protocol';
import { readSettings } from '../settings';
import type { ChecksumAnswer, FamiliesAnswer } from './protocol';

declare global {
  interface Window {
    edlearnLab: {
      predict(images: number[][]): Promise<Prediction[]>;
      state(): {
        valAccuracy: number;
        updates: number;
        samplesPerSecond: number;
        backend: string;
        settings: Settings;
        modelLoaded: boolean;
        dataReady: boolean;
        running: boolean;
        bestUpdate: number;
        bestAccuracy: number;
      };
      /** The run the form describes, built on `backend`: weight checksums before and after `updates` updates. */
      checksum(backend: 'wasm-simd' | 'reference', updates: number): Promise<Omit<ChecksumAnswer, 'type' | 'id'>>;
      /** Network `net`'s two synapse families of the ED rule in training: W⁺, W⁻, and the first layer's pair sizes. */
      families(net: number): Promise<{ plus: number[]; minus: number[]; pairSize: number[] }>;
    };
  }
}

// Served without the isolation headers, the dev page too goes through the service worker (see isolate.ts).
if (await isolateOrReload()) await new Promise(() => {});
const client = startLab(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));

window.edlearnLab = {
  async predict(images: number[][]): Promise<Prediction[]> {
    if (!Array.isArray(images) || images.some((img) => !Array.isArray(img) && !ArrayBuffer.isView(img))) {
      throw new TypeError('edlearnLab.predict: expected an array of images, each 784 values 0…255');
    }
    const bytes = images.map((img) =>
      Uint8Array.from(img, (v) => Math.min(255, Math.max(0, Math.round(Number(v) || 0)))),
    );
    const { results } = await client.request('predictions', (id) => ({ type: 'predict', id, images: bytes }));
    return results;
  },
  async checksum(backend, updates) {
    const settings = readSettings(lab.classes);
    const {
      type: _type,
      id: _id,
      ...answer
    } = (await client.requestOther((id) => ({ type: 'checksum', id, settings, backend, updates }))) as ChecksumAnswer;
    return answer;
  },
  async families(net) {
    const a = (await client.requestOther((id) => ({ type: 'families', id, net }))) as FamiliesAnswer;
    return { plus: Array.from(a.plus), minus: Array.from(a.minus), pairSize: Array.from(a.pairSize) };
  },
  state() {
    return {
      valAccuracy: lab.ed?.valAccuracy ?? 0,
      updates: lab.ed?.update ?? 0,
      samplesPerSecond: lab.ed?.samplesPerSecond ?? 0,
      backend: lab.backend,
      settings: readSettings(lab.classes),
      modelLoaded: lab.view?.predictFrom === 'file',
      dataReady: lab.dataReady,
      running: lab.running,
      bestUpdate: lab.ed?.bestUpdate ?? 0,
      bestAccuracy: lab.ed?.bestAccuracy ?? 0,
    };
  },
};
