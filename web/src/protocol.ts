/**
 * The messages between the page (main.ts) and the training worker (worker.ts), in one place so that both sides
 * are checked against the same shapes. Requests that expect an answer carry an `id`; the answer (or an 'error')
 * carries it back.
 */

/** What the form asks for; the worker resolves it against the library's presets. */
export interface Settings {
  task: 'pair' | 'all';
  /** "4,9" for a pair; ignored for all classes. */
  digits: string;
  preset: 'seed' | 'kaneko';
  units: number;
  layers: number;
  batch: number;
  lr: number;
  initMax: number;
  compareBp: boolean;
  seed: number;
}

export interface Point {
  update: number;
  valAccuracy: number;
}

/** One rule's progress; accuracies are fractions 0…1. */
export interface Progress {
  update: number;
  totalUpdates: number;
  epoch: number;
  valAccuracy: number;
  bestAccuracy: number;
  bestUpdate: number;
  samplesPerSecond: number;
  /** Evaluations made since the previous progress message (the chart appends them). */
  points: Point[];
}

export interface Prediction {
  predicted: number;
  scores: number[];
}

/** Which models the page is showing: the drawing's scores, and the ED network whose weights are drawn. */
export interface ViewInfo {
  /** Scores come from the training run's ED rule, or from a loaded model file. */
  predictFrom: 'training' | 'file';
  classNames: string[];
  /** The ED network shown (a loaded backprop model keeps the training ED's), or null when there is none. */
  weights: WeightsInfo | null;
}

export interface WeightsInfo {
  from: 'training' | 'file';
  /** Class names of the shown rule's networks: one network for two classes, else one per class. */
  networkNames: string[];
  units: number;
  /** The first `outExc` hidden units of the first layer are excitatory. */
  outExc: number;
  /** Side of the square input image (28 for MNIST). */
  side: number;
}

export interface ModelSummary {
  name: string;
  task: string;
  rule: string;
  preset: string;
  classNames: string[];
  accuracy: { final: number; best: number; bestUpdate: number };
}

export type ToWorker =
  | { type: 'init'; pageUrl: string; settings: Settings | null }
  | { type: 'load-files'; id: number; files: File[] }
  | { type: 'reset'; settings: Settings }
  | { type: 'start'; settings: Settings }
  | { type: 'pause' }
  | { type: 'weights'; net: number; unit: number }
  | { type: 'predict'; id: number; images: Uint8Array[] }
  | { type: 'load-model'; id: number; name: string; bytes: Uint8Array }
  | { type: 'save-model'; id: number; rule: 'ed' | 'backprop' };

export type FromWorker =
  | { type: 'backend'; name: string; reason?: string }
  | { type: 'data'; name: string; train: number; test: number; classes: number; side: number }
  | { type: 'files-loaded'; id: number }
  | { type: 'run'; task: string; classNames: string[]; totalUpdates: number; perEpoch: number; compareBp: boolean }
  | { type: 'view'; view: ViewInfo }
  | { type: 'progress'; ed: Progress; bp: Progress | null }
  | { type: 'state'; running: boolean; done: boolean }
  | { type: 'weights'; net: number; unit: number; unitType: 'excitatory' | 'inhibitory'; side: number; values: Float32Array }
  | { type: 'predictions'; id: number; results: Prediction[] }
  | { type: 'model-loaded'; id: number; summary: ModelSummary }
  | { type: 'model-bytes'; id: number; bytes: Uint8Array<ArrayBuffer> }
  | { type: 'error'; id?: number; message: string };
