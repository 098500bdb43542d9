// Public contract of the tokenizer: the TextTokenizer class and the USE-lite tokenizer.json conversion.
export { TextTokenizer, DEFAULT_MAX_LENGTH, type TextTokenizerOptions, type TokenizedText } from './text-tokenizer';
export {
  buildUseLiteTokenizerJson,
  readUseLiteVocab,
  USE_LITE_UNK_ID,
  type HfTokenizerJson,
  type RawVocab,
  type UseLiteTokenizerJsonOptions,
} from './use-lite-tokenizer-json';
export { rareTokenRule, readRareTokenRule, rareShareOf, RARE_RANK_FRACTION, type RareTokenRule } from './rare-tokens';
