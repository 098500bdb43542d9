// The cross-validation scripts' shared set-up: a labelled file tokenized for USE-lite with its cached frozen embeddings, and the fold split.
import { readLabelledTexts, type LabelledTextOptions } from '../../src/ingest';
import type { Logger } from '../../src/logging';
import { stratifiedFolds, stratifiedSplit } from '../../src/sampling/splits';
import { buildUseLiteTokenizerJson, readUseLiteVocab, TextTokenizer } from '../../src/tokenize';
import { selectBackend } from '../../training/backend';
import { cachedEmbeddings, openFrozenEncoder } from '../../training/pipeline/frozen-encoder';

const CACHE_DIR = '.cache/churnscope';

/**
 * Reads the file, tokenizes it, picks the TF.js backend and embeds every row with the frozen pretrained encoder
 * (cached under .cache/churnscope). The frozen encoder stays open for callers that embed more (prompts) or need its
 * parameters; the caller disposes `frozen.engine`, and the tokenizer.
 */
export async function frozenCvData(opts: { data: LabelledTextOptions; maxTokens: number; logger: Logger }) {
  const data = await readLabelledTexts(opts.data);
  const tokenizer = await TextTokenizer.create({
    tokenizerJson: buildUseLiteTokenizerJson(await readUseLiteVocab()),
    maxLength: opts.maxTokens,
  });
  const ids = (await tokenizer.encodeBatch(data.rows.map((r) => r.text))).map((t) => t.ids);
  const backend = await selectBackend({ logger: opts.logger });
  const frozen = await openFrozenEncoder({ cacheDir: CACHE_DIR, maxTokens: opts.maxTokens, logger: opts.logger });
  const embeddings = await cachedEmbeddings({
    engine: frozen.engine,
    modelHash: frozen.modelHash,
    ids,
    cacheDir: CACHE_DIR,
    logger: opts.logger,
  });
  return { rows: data.rows, ids, tokenizer, frozen, embeddings, backend };
}

/** The 5-fold (or k-fold) stratified folds every CV script uses: the same seed, so scripts compare on the same folds. */
export function cvFolds(labels: readonly number[], folds: number): number[][] {
  return stratifiedFolds(labels, folds, 7);
}

/** Fold k as test; the rest split 85 / 15 (stratified, seed k) into training and the inner validation for early stopping. */
export function cvSplit(folds: number[][], labels: readonly number[], k: number) {
  const test = folds[k];
  const rest = folds.filter((_, j) => j !== k).flat();
  const inner = stratifiedSplit(
    rest.map((i) => labels[i]),
    0.15,
    k,
  );
  return { test, train: inner.train.map((i) => rest[i]), valid: inner.valid.map((i) => rest[i]) };
}
