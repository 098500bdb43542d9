// A checkpoint's tokenizer.json: its [CLS]/[SEP] ids and largest id, and the copy a bundle ships (special tokens left to the encoder).
import { ModelLoadError } from '../../../src/errors';

interface SpecialToken {
  id: string;
  ids?: number[];
}
type Processor =
  | {
      type: 'TemplateProcessing';
      single?: Record<string, { id: string }>[];
      special_tokens?: Record<string, SpecialToken>;
    }
  | { type: 'BertProcessing' | 'RobertaProcessing'; cls?: [string, number]; sep?: [string, number] }
  | { type: 'Sequence'; processors?: Processor[] }
  | { type: string };

interface TokenizerJsonShape {
  model?: { type?: string; vocab?: Record<string, number> | [string, number][] };
  added_tokens?: { id: number; content: string }[];
  post_processor?: Processor | null;
}

export interface HfTokenizerInfo {
  clsId: number;
  sepId: number;
  /** Largest id the tokenizer can produce; must be a row of the embedding table. */
  maxId: number;
  /** The file as a bundle ships it: no post-processor (the encoder adds [CLS]/[SEP] per window), no truncation or padding. */
  bundleJson: Record<string, unknown>;
}

export function inspectHfTokenizer(raw: unknown, file: string): HfTokenizerInfo {
  const json = raw as TokenizerJsonShape;
  if (!json || typeof json !== 'object' || !json.model)
    throw new ModelLoadError(`${file} is not a tokenizer.json (no "model" section)`, { file });
  const vocab = json.model.vocab;
  const ids = new Map<string, number>();
  if (Array.isArray(vocab)) vocab.forEach(([piece], i) => ids.set(piece, i));
  else if (vocab && typeof vocab === 'object') for (const [piece, id] of Object.entries(vocab)) ids.set(piece, id);
  for (const t of json.added_tokens ?? []) ids.set(t.content, t.id);
  if (ids.size === 0) throw new ModelLoadError(`${file} has an empty vocabulary`, { file });
  const maxId = Math.max(...ids.values());
  const fromProcessor = specialIds(json.post_processor ?? undefined);
  const clsId = fromProcessor?.cls ?? ids.get('[CLS]');
  const sepId = fromProcessor?.sep ?? ids.get('[SEP]');
  if (clsId === undefined || sepId === undefined) {
    throw new ModelLoadError(
      `${file}: cannot tell the [CLS] and [SEP] ids: no BERT-style post-processor and no [CLS]/[SEP] tokens in the vocabulary`,
      { file, field: 'post_processor' },
    );
  }
  const bundleJson = { ...(raw as Record<string, unknown>), post_processor: null, truncation: null, padding: null };
  return { clsId, sepId, maxId, bundleJson };
}

/** The ids a BERT post-processor puts first and last around a single sequence. */
function specialIds(p: Processor | undefined): { cls: number; sep: number } | undefined {
  if (!p) return undefined;
  if (p.type === 'Sequence') {
    for (const inner of (p as { processors?: Processor[] }).processors ?? []) {
      const found = specialIds(inner);
      if (found) return found;
    }
    return undefined;
  }
  if (p.type === 'BertProcessing' || p.type === 'RobertaProcessing') {
    const b = p as { cls?: [string, number]; sep?: [string, number] };
    return b.cls && b.sep ? { cls: b.cls[1], sep: b.sep[1] } : undefined;
  }
  if (p.type === 'TemplateProcessing') {
    const t = p as { single?: Record<string, { id: string }>[]; special_tokens?: Record<string, SpecialToken> };
    const specials = (t.single ?? []).filter((piece) => 'SpecialToken' in piece).map((piece) => piece.SpecialToken.id);
    const idOf = (name: string | undefined) => (name === undefined ? undefined : t.special_tokens?.[name]?.ids?.[0]);
    const first = t.single?.[0];
    const last = t.single?.[t.single.length - 1];
    if (!first || !last || !('SpecialToken' in first) || !('SpecialToken' in last) || specials.length !== 2)
      return undefined;
    const cls = idOf(first.SpecialToken.id);
    const sep = idOf(last.SpecialToken.id);
    return cls !== undefined && sep !== undefined ? { cls, sep } : undefined;
  }
  return undefined;
}
