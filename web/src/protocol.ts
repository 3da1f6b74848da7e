/**
 * The messages between the page (main.ts) and the training worker (worker.ts), in one place so that both sides
 * are checked against the same shapes. Requests that expect an answer carry an `id`; the answer (or an 'error')
 * carries it back.
 */

import type { PresetName } from 'edlearn/browser';
import type { PointTask } from './points';

/** What the form asks for; the worker turns it into the library's TrainInput (run-input.ts). */
export interface Settings {
  /** MNIST (a pair of digits or all classes), or one of the generated 2-D datasets (points.ts). */
  task: 'pair' | 'all' | PointTask;
  /** "4,9" for a pair; ignored for all classes. */
  digits: string;
  preset: PresetName;
  units: number;
  layers: number;
  batch: number;
  lr: number;
  initMax: number;
  epochs: number;
  seed: number;
  /** --ensemble K: K ED models (seeds seed … seed + K − 1) trained one after another, their scores averaged. */
  ensemble: number;
  compareBp: boolean;
  /** 2-D datasets only: the noise of the points (0…0.5) and the share of training points held out for validation. */
  noise: number;
  validation: number;
  /** MNIST only: --augment (the training images redrawn every epoch) and the α schedule, as in the CLI. */
  augment: string;
  schedule: 'constant' | 'step' | 'cosine';
  /** 'watch' spreads a run over at least WATCH_SECONDS (see worker.ts); it does not change what is learned. */
  pace: 'watch' | 'full';
}

/**
 * The settings that shape the model: everything but what applies live to the run under way — the pace (how
 * fast it goes) and α (worker/live-rate.ts).
 */
export const modelKey = ({ pace: _pace, lr: _lr, ...rest }: Settings) => JSON.stringify(rest);

/** With pace 'watch', a run is spread over at least this long, so that a person can follow (and pause) it. */
export const WATCH_SECONDS = 15;

/** The panel whose action failed: its error box shows the message. */
export type Panel = 'train' | 'data' | 'draw' | 'models';

export interface Point {
  update: number;
  valAccuracy: number;
  /** Accuracy on the training samples seen since the previous evaluation (measured before each update). */
  trainAccuracy: number;
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
  /** Once the run has ended: test accuracy, read then for the first time, where validation chose and at the end. */
  test?: { selectedUpdate: number; atSelected: number; atFinal: number };
  /** An ensemble run (ED only): updates, the selected update and the points are on the axis of all its members. */
  ensemble?: EnsembleProgress;
}

/** Where an ensemble run is: members train one after another, each on its own stretch of the update axis. */
export interface EnsembleProgress {
  /** The member in training (1-based), of `size`; its seed is the run's seed + member − 1. */
  member: number;
  size: number;
  /** Once the last member has ended: the averaged scores on validation and test (read then, once), and each member. */
  result?: {
    validation: number;
    test: number;
    members: { seed: number; selectedUpdate: number; validation: number; test: number }[];
  };
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

/** One class network as drawn (worker/network.ts): the units shown per layer and the signed synapses between them. */
export interface NetworkDrawing {
  net: number;
  inputs: number;
  /** The inputs drawn (the strongest), and the side of the square they come from (pixels, or the 2-D bump grid). */
  inputIds: number[];
  side: number;
  /** Per layer (the last is the output): its units, how many are excitatory, and which are drawn. */
  layers: { units: number; outExc: number; shown: number[] }[];
  /**
   * Synapses into layer `layer` from drawn source `from` to drawn unit `to`; w signed. For layer 0, `from` < the
   * drawn inputs is an input's excitatory copy (W⁺), the rest its inhibitory copy (W⁻), in the same order.
   */
  edges: { layer: number; from: number; to: number; w: number }[];
}

/** What one update changed in one ED class network (worker/families.ts). */
export interface FamilyChange {
  net: number;
  /** Weights of W⁺ (from excitatory sources) and of W⁻ (from inhibitory sources) that moved, the largest move. */
  plus: { count: number; largest: number };
  minus: { count: number; largest: number };
  /** e = t − y of each sample of the update at this network's output. */
  errors: number[];
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
  /** The pace applies to the run under way without rebuilding it. */
  | { type: 'pace'; pace: Settings['pace'] }
  /** α applies to the run under way from its next update (a run not yet started is rebuilt with it). */
  | { type: 'lr'; lr: number }
  | { type: 'weights'; net: number; unit: number }
  /** The receptive-field grid of network `net`, and its drawing. */
  | { type: 'fields'; net: number }
  /** One update of the paused run; `net`: the network whose changes are reported. */
  | { type: 'step'; net: number }
  | { type: 'predict'; id: number; images: Uint8Array[] }
  | { type: 'load-model'; id: number; name: string; bytes: Uint8Array }
  | { type: 'save-model'; id: number; rule: 'ed' | 'backprop' };

export type FromWorker =
  | { type: 'backend'; name: string; reason?: string }
  /** Bytes of the bundled data received so far, of `total` (0 while unknown). */
  | { type: 'data-progress'; loaded: number; total: number }
  | { type: 'data'; name: string; train: number; test: number; classes: number; side: number }
  | { type: 'files-loaded'; id: number }
  /** The points of a 2-D dataset (training + validation), to draw under the heat maps. */
  | { type: 'points'; xs: Float32Array; ys: Float32Array; labels: Uint8Array }
  /**
   * P(class 1) of ED (and backprop) over a `side` × `side` grid of [−1, 1]² (row 0 at y = 1): the decision heat maps.
   */
  | { type: 'field'; side: number; ed: Float32Array; bp: Float32Array | null }
  /**
   * An MNIST run's ED model on its validation split: confusion matrix (rows: true
   * class), misclassified and sample digits.
   */
  | {
      type: 'inspection';
      classNames: string[];
      update: number;
      matrix: number[][];
      wrong: { image: Uint8Array; label: number; predicted: number }[];
      samples: { image: Uint8Array; label: number }[];
    }
  /** A new model is being built (wide ones take seconds). */
  | { type: 'building'; units: number; layers: number }
  | {
      type: 'run';
      settings: Settings;
      task: string;
      classNames: string[];
      totalUpdates: number;
      epochs: number;
      evalEvery: number;
      compareBp: boolean;
      /** Members of an ensemble run (1: a single model). */
      ensemble: number;
      /** Sizes of the training split and of the validation split the run builder held out of it (evaluated on). */
      train: number;
      validation: number;
    }
  | { type: 'view'; view: ViewInfo }
  | { type: 'progress'; ed: Progress; bp: Progress | null }
  | { type: 'state'; running: boolean; done: boolean }
  /** α is now `lr` in the run under way, from update `update` on (`from`: what it was). */
  | { type: 'lr'; lr: number; from: number; update: number }
  /**
   * The input weights of the first `units` first-layer units of network `net` (units ×
   * side², row by row): the receptive-field grid.
   */
  | { type: 'fields'; net: number; units: number; outExc: number; side: number; values: Float32Array }
  | { type: 'network'; drawing: NetworkDrawing }
  /**
   * What the last step changed in the shown ED network: the weights moved in each synapse family (W⁺ from
   * excitatory sources, W⁻ from inhibitory ones; worker/families.ts) and the error e = t − y of each sample there.
   */
  | ({ type: 'stepped'; update: number } & FamilyChange)
  | {
      type: 'weights';
      net: number;
      unit: number;
      unitType: 'excitatory' | 'inhibitory';
      side: number;
      values: Float32Array;
    }
  | { type: 'predictions'; id: number; results: Prediction[] }
  | { type: 'model-loaded'; id: number; summary: ModelSummary }
  /** `update`: the validation-selected update whose weights the file holds. */
  | { type: 'model-bytes'; id: number; bytes: Uint8Array<ArrayBuffer>; fileName: string; update: number }
  | { type: 'error'; id?: number; panel: Panel; message: string };
