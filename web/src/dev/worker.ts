/**
 * The training worker of the dev page (dev.html): the production worker plus the browser test's checksum request,
 * which checks that the page builds what Node builds — the run `settings` give, on a fresh backend of the named
 * kind, its weights' checksums before and after `updates` updates, with the inputs and configs used.
 */
import { referenceBackend, UserError } from 'edlearn/browser';
import { serveLab } from '../worker/host';
import { buildLabRun } from '../worker/runs';
import { post, state } from '../worker/state';
import { sha256, simdBackend } from './checksum';
import type { ChecksumAnswer, ChecksumRequest, Checksums, FamiliesRequest } from './protocol';
import { familiesOf } from '../worker/families';
import { weightsRule } from '../worker/views';

serveLab(async (msg) => {
  if (msg.type === 'families') return sendFamilies(msg as FamiliesRequest);
  if (msg.type !== 'checksum') return false;
  const { id, settings, backend: kind, updates } = msg as ChecksumRequest;
  if (!state.dataset) throw new UserError('checksum: the data has not loaded yet');
  const backend = kind === 'reference' ? referenceBackend : await simdBackend(state.pageUrl!);
  const r = buildLabRun(settings, state.dataset, backend);
  const trained = [r.ed, ...(r.bp ? [r.bp] : [])];
  const rules: Checksums[] = [];
  for (const t of trained) {
    const initial = await sha256(t.rule.parameters());
    t.session.step(updates);
    rules.push({ initial, trained: await sha256(t.rule.parameters()) });
  }
  const answer: ChecksumAnswer = {
    type: 'checksums',
    id,
    backend: backend.name,
    inputs: trained.map((t) => t.input),
    configs: trained.map((t) => t.config),
    rules,
  };
  post(answer as never);
  return true;
});

/** The two synapse families of network `net` of the ED rule in training, copied (the step test compares them). */
function sendFamilies({ id, net }: FamiliesRequest): true {
  const w = weightsRule();
  if (w?.from !== 'training') throw new UserError('families: no ED rule in training');
  const { plus, minus, pairSize } = familiesOf(w.rule, net);
  post({ type: 'families', id, plus, minus, pairSize } as never, [plus.buffer, minus.buffer, pairSize.buffer]);
  return true;
}
