// The one list of a model bundle's file names (Hugging Face layout plus churnscope's own files), relative to the bundle folder.
export const BUNDLE_FILES = {
  config: 'config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  /** transformers.js reads `onnx/model.onnx` for dtype 'fp32'. */
  model: 'onnx/model.onnx',
  /** int8 weights, dynamic activations; transformers.js reads this name for dtype 'q8'. */
  quantizedModel: 'onnx/model_quantized.onnx',
  modelCard: 'model-card.json',
  modelCardHtml: 'model-card.html',
  fusion: 'fusion.json',
  /** The validation split as token windows and labels: what `churnscope quantize` checks int8 against fp32 on. */
  validationSet: 'validation-set.json',
  /** TF-IDF + logistic regression fitted on the same training split: the figure the model must beat. */
  baseline: 'baseline.json',
  /** Binned distributions of the validation texts as this bundle's engine scored them: what drift is measured against. */
  driftReference: 'drift-reference.json',
} as const;

export type BundleFile = keyof typeof BUNDLE_FILES;
