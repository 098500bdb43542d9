// Checks a BertParams set against its own architecture before TF.js or ONNX sees it, naming the first parameter that is off.
import { ModelLoadError } from '../../src/errors';
import { BERT_ACTIVATIONS, BERT_POOLINGS, bertParamAt, bertParamShapes, type BertParams } from './bert-params';

export function validateBertParams(params: BertParams, file?: string): void {
  const a = params.arch;
  const fail = (message: string, field: string) => {
    throw new ModelLoadError(message, { field, file });
  };
  for (const [key, value] of Object.entries({
    vocabSize: a.vocabSize,
    hiddenSize: a.hiddenSize,
    numLayers: a.numLayers,
    numHeads: a.numHeads,
    intermediateSize: a.intermediateSize,
    maxPositions: a.maxPositions,
  })) {
    if (!Number.isSafeInteger(value) || value < 1) fail(`BERT ${key} must be a positive integer, got ${value}`, key);
  }
  if (a.hiddenSize % a.numHeads !== 0)
    fail(`BERT hidden size ${a.hiddenSize} does not split into ${a.numHeads} heads`, 'numHeads');
  if (a.maxPositions < 3)
    fail(`BERT max_position_embeddings ${a.maxPositions} leaves no room beside [CLS] and [SEP]`, 'maxPositions');
  if (!(a.layerNormEps > 0)) fail(`BERT layer_norm_eps must be positive, got ${a.layerNormEps}`, 'layerNormEps');
  if (!BERT_ACTIVATIONS.includes(a.activation))
    fail(`BERT activation ${a.activation} is not one of ${BERT_ACTIVATIONS.join(', ')}`, 'activation');
  if (!BERT_POOLINGS.includes(a.pooling))
    fail(`BERT pooling ${a.pooling} is not one of ${BERT_POOLINGS.join(', ')}`, 'pooling');
  for (const [name, id] of [
    ['[CLS]', a.clsId],
    ['[SEP]', a.sepId],
  ] as const) {
    if (!Number.isSafeInteger(id) || id < 0 || id >= a.vocabSize)
      fail(`${name} id ${id} is outside the vocabulary [0, ${a.vocabSize})`, name);
  }
  if (params.layers.length !== a.numLayers)
    fail(`BERT has ${params.layers.length} layers, its config says ${a.numLayers}`, 'layers');
  const hasPooler = params.poolerKernel !== undefined || params.poolerBias !== undefined;
  if (a.pooling === 'pooler' && !hasPooler)
    fail("pooling 'pooler' needs the checkpoint's pooler.dense weights, which it lacks; use mean or cls", 'pooling');
  const shapes = bertParamShapes(a, { tokenTypes: params.tokenTypeEmbeddings !== undefined, pooler: hasPooler });
  for (const [path, shape] of shapes) {
    const t = bertParamAt(params, path);
    const count = shape.reduce((x, y) => x * y, 1);
    if (!t || t.shape.join() !== shape.join() || t.data.length !== count) {
      fail(
        `BERT parameter ${path} is ${t ? `[${t.shape.join(', ')}]` : 'missing'}, expected [${shape.join(', ')}]`,
        path,
      );
    }
  }
}
