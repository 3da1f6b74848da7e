/**
 * An ED model in TensorFlow.js's Layers format (model.json + one weights file), loadable by tf.loadLayersModel:
 * a functional model with input `images`, per class network a chain of Dense layers (the sigmoid's gain folded
 * into the kernel and bias: sigmoid(gain·(xW + b)) = sigmoid(x·gainW + gain·b)), the networks' outputs
 * concatenated into `scores` — for one network, a Dense layer with fixed weights gives [1 − y, y]; a softmax
 * model ends in a softmax Activation. Browser-safe.
 */
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import type { ForwardGraph } from './forward.js';
import { floatBytes } from './protobuf.js';

export interface TfjsFiles {
  /** model.json's text; it names the weights file `weightsFile`. */
  modelJson: string;
  weights: Uint8Array;
}

interface Layer {
  class_name: string;
  config: Record<string, unknown>;
  name: string;
  inbound_nodes: [string, number, number, Record<string, never>][][];
}

const from = (...names: string[]): Layer['inbound_nodes'] => [names.map((n) => [n, 0, 0, {}])];

/** The Layers-format files of a forward graph; model.json refers to the weights as `weightsFile`. */
export function toTfjs(g: ForwardGraph, weightsFile = 'weights.bin'): TfjsFiles {
  if (g.networks.some((layers) => layers.some((L) => L.rmsNorm))) {
    throw new UserError(
      'export --format tfjs: this model normalises its hidden layers (rmsNorm), which TF.js layers cannot ' +
        'express; export it with --format onnx',
    );
  }
  const layers: Layer[] = [
    {
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, g.inputs], dtype: 'float32', sparse: false, name: 'images' },
      name: 'images',
      inbound_nodes: [],
    },
  ];
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const arrays: Float32Array[] = [];
  const dense = (
    name: string,
    input: string,
    units: number,
    activation: string,
    kernel: Float32Array,
    bias: Float32Array,
    inputs: number,
  ) => {
    layers.push({
      class_name: 'Dense',
      name,
      inbound_nodes: from(input),
      config: {
        name,
        units,
        activation,
        use_bias: true,
        trainable: false,
        dtype: 'float32',
        kernel_initializer: { class_name: 'Zeros', config: {} },
        bias_initializer: { class_name: 'Zeros', config: {} },
      },
    });
    specs.push(
      { name: `${name}/kernel`, shape: [inputs, units], dtype: 'float32' },
      { name: `${name}/bias`, shape: [units], dtype: 'float32' },
    );
    arrays.push(kernel, bias);
  };
  const outputs = g.networks.map((net, k) => {
    let x = 'images';
    net.forEach((L, l) => {
      const name = `net${k}_layer${l}`;
      const scale = L.activation === 'sigmoid' ? L.gain : 1;
      dense(
        name,
        x,
        L.units,
        L.activation,
        L.weights.map((w) => w * scale),
        L.bias.map((b) => b * scale),
        L.inputs,
      );
      x = name;
    });
    return x;
  });
  if (g.scores === 'complement')
    dense('scores', outputs[0], 2, 'linear', Float32Array.of(-1, 1), Float32Array.of(1, 0), 1);
  else {
    const concat = g.scores === 'softmax' ? 'outputs' : 'scores';
    layers.push({
      class_name: 'Concatenate',
      config: { axis: -1, name: concat },
      name: concat,
      inbound_nodes: from(...outputs),
    });
    if (g.scores === 'softmax')
      layers.push({
        class_name: 'Activation',
        config: { activation: 'softmax', name: 'scores' },
        name: 'scores',
        inbound_nodes: from(concat),
      });
  }
  const model = {
    format: 'layers-model',
    generatedBy: `edlearn ${VERSION}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Model',
      keras_version: 'tfjs-layers',
      backend: 'tensor_flow.js',
      config: { name: 'edlearn', layers, input_layers: [['images', 0, 0]], output_layers: [['scores', 0, 0]] },
    },
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
    userDefinedMetadata: { classNames: g.classNames },
  };
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const a of arrays) {
    all.set(a, at);
    at += a.length;
  }
  return { modelJson: JSON.stringify(model), weights: floatBytes(all) };
}
