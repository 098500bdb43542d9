// config.json / tokenizer_config.json defaults that make transformers.js load a churnscope bundle (load-with-transformers.ts says why).

/**
 * transformers.js only needs `model_type` from config.json. An unknown type ("use-lite") makes AutoModel fall back to
 * the base PreTrainedModel, whose encoder-only forward feeds exactly the graph's declared inputs (input_ids,
 * attention_mask; token_type_ids only if a graph declared it) and returns every output by name. "bert" would load
 * silently as BertModel with the same forward, but would tell Python tools this is a BERT, so we stay truthful.
 * BERT-family bundles do say `model_type: "bert"` (with their sizes; training/pipeline/encoder-choice.ts passes them as
 * config over these defaults): there it is true, and transformers.js loads them as BertModel.
 */
export const HF_CONFIG_DEFAULTS = {
  model_type: 'use-lite',
};

interface TokenizerJsonShape {
  model?: { type?: string; unk_id?: number | null; unk_token?: string; vocab?: unknown };
  added_tokens?: { content: string }[];
  truncation?: { max_length?: number } | null;
  padding?: { pad_token?: string } | null;
}

function unkToken(model: TokenizerJsonShape['model']): string | undefined {
  if (!model) return undefined;
  if (typeof model.unk_token === 'string') return model.unk_token;
  // Unigram stores unk as an index into its [piece, score] list.
  if (model.type === 'Unigram' && typeof model.unk_id === 'number' && Array.isArray(model.vocab)) {
    const entry = (model.vocab as unknown[])[model.unk_id];
    if (Array.isArray(entry) && typeof entry[0] === 'string') return entry[0];
  }
  return undefined;
}

/**
 * PreTrainedTokenizer (the generic class: no warning, no model-specific special tokens) plus a pad token, without
 * which batched `padding: true` would pad with `undefined`. USE has no pad piece; padded positions are masked
 * out by attention_mask, so padding with unk is harmless.
 */
export function defaultTokenizerConfig(tokenizerJson: object): Record<string, unknown> {
  const t = tokenizerJson as TokenizerJsonShape;
  const unk = unkToken(t.model);
  const namedPad = t.added_tokens?.find((a) => ['<pad>', '[PAD]'].includes(a.content))?.content;
  const pad = t.padding?.pad_token ?? namedPad ?? unk;
  const config: Record<string, unknown> = {
    tokenizer_class: 'PreTrainedTokenizer',
    padding_side: 'right',
    truncation_side: 'right',
    clean_up_tokenization_spaces: false,
  };
  if (t.truncation?.max_length) config.model_max_length = t.truncation.max_length;
  if (unk !== undefined) config.unk_token = unk;
  if (pad !== undefined) config.pad_token = pad;
  return config;
}
