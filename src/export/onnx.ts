/**
 * An ED model as a standard ONNX graph (opset 13): input `images` (n × inputs, float, 0…1), output `scores`
 * (n × classes), the same scores as the model's predict. Per class network and layer: MatMul, Add (bias),
 * optional RMS normalisation, Mul (gain) and Sigmoid; then the networks' outputs concatenated, as [1 − y, y]
 * for one network, or through a Softmax. Written with the small encoder in protobuf.ts (field numbers from
 * onnx.proto). Browser-safe.
 */
import { VERSION } from '../version.js';
import type { DenseLayer, ForwardGraph } from './forward.js';
import { bytes, floatBytes, int, message, string } from './protobuf.js';

const IR_VERSION = 8;
const OPSET = 13;
const FLOAT = 1;
/** AttributeProto.AttributeType */
const ATTR_INT = 2;
const ATTR_INTS = 7;

type Attribute = { name: string; int: number } | { name: string; ints: number[] };

function tensor(name: string, dims: number[], values: Float32Array): Uint8Array {
  return message(
    dims.map((d) => int(1, d)),
    int(2, FLOAT),
    string(8, name),
    bytes(9, floatBytes(values)),
  );
}

function attribute(a: Attribute): Uint8Array {
  return 'int' in a
    ? message(string(1, a.name), int(3, a.int), int(20, ATTR_INT))
    : message(
        string(1, a.name),
        a.ints.map((v) => int(8, v)),
        int(20, ATTR_INTS),
      );
}

function node(op: string, inputs: string[], outputs: string[], name: string, attributes: Attribute[] = []): Uint8Array {
  return message(
    inputs.map((i) => string(1, i)),
    outputs.map((o) => string(2, o)),
    string(3, name),
    string(4, op),
    attributes.map((a) => bytes(5, attribute(a))),
  );
}

/** A float tensor's type and shape; a string dimension is symbolic (the batch). */
function valueInfo(name: string, dims: (number | string)[]): Uint8Array {
  const shape = message(dims.map((d) => bytes(1, typeof d === 'number' ? int(1, d) : string(2, d))));
  const tensorType = message(int(1, FLOAT), bytes(2, shape));
  return message(string(1, name), bytes(2, message(bytes(1, tensorType))));
}

/** The ONNX model file of a forward graph. */
export function toOnnx(g: ForwardGraph, doc = ''): Uint8Array {
  const nodes: Uint8Array[] = [];
  const inits: Uint8Array[] = [];
  const gains = new Map<number, string>();
  const gainOf = (gain: number): string => {
    if (!gains.has(gain)) {
      gains.set(gain, `gain_${gains.size}`);
      inits.push(tensor(gains.get(gain)!, [], Float32Array.of(gain)));
    }
    return gains.get(gain)!;
  };
  const needsRms = g.networks.some((layers) => layers.some((L) => L.rmsNorm));
  if (needsRms) inits.push(tensor('rms_epsilon', [], Float32Array.of(1e-6)));
  const outputs = g.networks.map((layers, k) => {
    let x = 'images';
    layers.forEach((L: DenseLayer, l) => {
      const p = `net${k}_layer${l}`;
      inits.push(tensor(`${p}_weights`, [L.inputs, L.units], L.weights), tensor(`${p}_bias`, [L.units], L.bias));
      nodes.push(node('MatMul', [x, `${p}_weights`], [`${p}_matmul`], `${p}_matmul`));
      nodes.push(node('Add', [`${p}_matmul`, `${p}_bias`], [`${p}_sum`], `${p}_add`));
      let u = `${p}_sum`;
      if (L.rmsNorm) {
        // u / √(mean(u²) + 1e-6), per sample.
        nodes.push(node('Mul', [u, u], [`${p}_square`], `${p}_square`));
        nodes.push(
          node('ReduceMean', [`${p}_square`], [`${p}_meansquare`], `${p}_meansquare`, [
            { name: 'axes', ints: [1] },
            { name: 'keepdims', int: 1 },
          ]),
        );
        nodes.push(node('Add', [`${p}_meansquare`, 'rms_epsilon'], [`${p}_meansquare_eps`], `${p}_eps`));
        nodes.push(node('Sqrt', [`${p}_meansquare_eps`], [`${p}_rms`], `${p}_rms`));
        nodes.push(node('Div', [u, `${p}_rms`], [`${p}_normalised`], `${p}_normalise`));
        u = `${p}_normalised`;
      }
      if (L.activation === 'sigmoid') {
        nodes.push(node('Mul', [u, gainOf(L.gain)], [`${p}_scaled`], `${p}_gain`));
        nodes.push(node('Sigmoid', [`${p}_scaled`], [`${p}_out`], `${p}_sigmoid`));
        u = `${p}_out`;
      }
      x = u;
    });
    return x;
  });
  if (g.scores === 'complement') {
    inits.push(tensor('one', [], Float32Array.of(1)));
    nodes.push(node('Sub', ['one', outputs[0]], ['class0'], 'complement'));
    nodes.push(node('Concat', ['class0', outputs[0]], ['scores'], 'scores', [{ name: 'axis', int: 1 }]));
  } else if (g.scores === 'softmax') {
    nodes.push(node('Concat', outputs, ['outputs'], 'outputs', [{ name: 'axis', int: 1 }]));
    nodes.push(node('Softmax', ['outputs'], ['scores'], 'scores', [{ name: 'axis', int: 1 }]));
  } else nodes.push(node('Concat', outputs, ['scores'], 'scores', [{ name: 'axis', int: 1 }]));
  const graph = message(
    nodes.map((n) => bytes(1, n)),
    string(2, 'edlearn'),
    inits.map((t) => bytes(5, t)),
    string(10, doc),
    bytes(11, valueInfo('images', ['n', g.inputs])),
    bytes(12, valueInfo('scores', ['n', g.classes])),
  );
  const meta = (k: string, v: string) => bytes(14, message(string(1, k), string(2, v)));
  return message(
    int(1, IR_VERSION),
    string(2, 'edlearn'),
    string(3, VERSION),
    bytes(7, graph),
    bytes(8, message(string(1, ''), int(2, OPSET))),
    meta('classNames', JSON.stringify(g.classNames)),
  );
}
