// Shape checks of a UseLiteParams set before export: a wrong-shaped array would otherwise surface as an opaque runtime error inside onnxruntime.
import { ValidationError } from '../../src/errors';
import type { LinearHeadParams, NamedArray, UseLiteArchitecture, UseLiteParams } from '../params/use-lite-params';
import type { HybridHeadParams } from '../params/hybrid-head-params';

function check(field: string, t: NamedArray | undefined, shape: readonly number[]): void {
  if (!t) throw new ValidationError(`USE-lite parameter ${field} is missing`, { field });
  const count = shape.reduce((a, b) => a * b, 1);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]) || t.data.length !== count) {
    throw new ValidationError(
      `USE-lite parameter ${field} has shape [${t.shape.join(', ')}] (${t.data.length} values), expected [${shape.join(', ')}]`,
      { field },
    );
  }
}

export function validateUseLiteParams(
  params: UseLiteParams,
  head: LinearHeadParams | HybridHeadParams,
  arch: UseLiteArchitecture,
): void {
  const { vocabSize, embeddingDim: e, hiddenDim: h, ffnDim: f, outputDim: o, numHeads } = arch;
  check('tokenEmbedding', params.tokenEmbedding, [vocabSize, e]);
  check('invTimescales', params.invTimescales, [e / 2]);
  if (params.layers?.length !== 2) throw new ValidationError('USE-lite has exactly two layers', { field: 'layers' });
  params.layers.forEach((l, i) => {
    const dIn = i === 0 ? e : h;
    if (dIn % numHeads !== 0)
      throw new ValidationError(`layer ${i} width ${dIn} does not split into ${numHeads} heads`, { field: 'numHeads' });
    const at = (name: string) => `layers[${i}].${name}`;
    check(at('attnLnScale'), l.attnLnScale, [dIn]);
    check(at('attnLnBias'), l.attnLnBias, [dIn]);
    check(at('qkvKernel'), l.qkvKernel, [dIn, 3 * dIn]);
    check(at('qkvBias'), l.qkvBias, [3 * dIn]);
    check(at('outKernel'), l.outKernel, [dIn, h]);
    check(at('outBias'), l.outBias, [h]);
    if (dIn !== h) {
      check(at('residualKernel'), l.residualKernel, [dIn, h]);
      check(at('residualBias'), l.residualBias, [h]);
    } else if (l.residualKernel || l.residualBias) {
      throw new ValidationError(`layer ${i} keeps its width, so it has no residual projection`, {
        field: at('residualKernel'),
      });
    }
    check(at('ffnLnScale'), l.ffnLnScale, [h]);
    check(at('ffnLnBias'), l.ffnLnBias, [h]);
    check(at('ffn1Kernel'), l.ffn1Kernel, [h, f]);
    check(at('ffn1Bias'), l.ffn1Bias, [f]);
    check(at('ffn2Kernel'), l.ffn2Kernel, [f, h]);
    check(at('ffn2Bias'), l.ffn2Bias, [h]);
  });
  check('tanhKernel', params.tanhKernel, [h, o]);
  check('tanhBias', params.tanhBias, [o]);
  if (!Number.isFinite(head.bias))
    throw new ValidationError('head.bias must be a finite number', { field: 'head.bias' });
  if (!('embeddingWeight' in head)) return check('head.weight', head.weight, [o]);
  const c = head.config;
  if (c.embeddingDim !== o || c.vocabSize !== vocabSize) {
    const what = `hybrid head is for embeddingDim ${c.embeddingDim} / vocabSize ${c.vocabSize}`;
    throw new ValidationError(`${what}, the encoder has ${o} / ${vocabSize}`, { field: 'head.config' });
  }
  check('head.embeddingWeight', head.embeddingWeight, [o]);
  if (head.unigramWeight) check('head.unigramWeight', head.unigramWeight, [vocabSize]);
  if (head.bigramWeight) check('head.bigramWeight', head.bigramWeight, [c.bigramBuckets]);
}
