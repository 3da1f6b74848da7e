/**
 * An ED model's forward pass as plain dense layers, the form both exporters (ONNX, TF.js) write: per class
 * network, per layer, weights (inputs × units) and a bias, then ×gain and a sigmoid (or nothing for a softmax
 * model's linear outputs). Folded as the rule folds them for its own forward pass (src/rules/ed.ts): the input
 * layer's excitatory and inhibitory copies of each pixel into one signed weight W⁺ + W⁻, the two bias units into
 * β·(b⁺ + b⁻), ternary weights as the rule quantises them. Browser-safe.
 */
import { UserError } from '../errors.js';
import type { Rule } from '../rules/rule.js';
import { edClassifierOf } from '../train/build.js';

export interface DenseLayer {
  inputs: number;
  units: number;
  /** (inputs, units), row-major: what a sample's previous activations are multiplied by. */
  weights: Float32Array;
  bias: Float32Array;
  /** Divide each sample's pre-activations by their root mean square first (the rmsNorm option). */
  rmsNorm: boolean;
  /** f(u) = sigmoid(gain · u), or u itself ('linear': a softmax model's outputs). */
  activation: 'sigmoid' | 'linear';
  gain: number;
}

export interface ForwardGraph {
  inputs: number;
  classes: number;
  classNames: string[];
  /** One network per class; a two-class model has one, whose output y is P(class 1). */
  networks: DenseLayer[][];
  /** How the networks' outputs become scores: [1 − y, y]; one per class; one per class through a softmax. */
  scores: 'complement' | 'per-class' | 'softmax';
}

/** The forward pass of a rule; `what` names the model in errors. */
export function forwardGraph(model: Rule, classNames: string[], what: string): ForwardGraph {
  const rule = edClassifierOf(model);
  if (!rule) throw new UserError(`${what}: export writes ED models; this one is trained with backprop`);
  const o = rule.options;
  // Rebuild what the forward pass reads from the parameters (W⁺ + W⁻, ternary copies): the file's own weights.
  rule.parametersChanged();
  const params = rule.parameters();
  const last = rule.shapes.length - 1;
  const per = rule.shapes.length * 2;
  const networks = rule.nets.map((net, k) =>
    rule.shapes.map((L, l): DenseLayer => {
      const w = o.ternary ? net.wq[l] : params[k * per + 2 * l];
      const b = o.ternary && o.ternaryBias ? net.biasQ[l] : params[k * per + 2 * l + 1];
      const inputs = L.paired ? L.srcExc : L.srcExc + L.srcInh;
      let weights = w;
      if (L.paired) {
        // Each input feeds the layer twice, as an excitatory and as an inhibitory source: one signed weight.
        const n = inputs * L.out;
        weights = new Float32Array(n);
        for (let i = 0; i < n; i++) weights[i] = w[i] + w[n + i];
      }
      const bias = Float32Array.from({ length: L.out }, (_, j) => o.beta * (b[j] + b[L.out + j]));
      const sigmoid = l < last || o.output === 'sigmoid';
      return {
        inputs,
        units: L.out,
        weights: Float32Array.from(weights),
        bias,
        rmsNorm: o.rmsNorm && l < last,
        activation: sigmoid ? 'sigmoid' : 'linear',
        gain: 2 / o.u0,
      };
    }),
  );
  const scores = rule.networks === 1 ? 'complement' : o.output === 'softmax' ? 'softmax' : 'per-class';
  return { inputs: rule.inputs, classes: rule.classes, classNames, networks, scores };
}
