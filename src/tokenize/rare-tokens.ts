// Which token ids count as rare for drift: the unknown piece, or a piece in the less probable part of the vocabulary.
import fs from 'node:fs';
import { ModelLoadError } from '../errors';

/** Pieces ranked at or beyond this share of the vocabulary (by probability) are rare. */
export const RARE_RANK_FRACTION = 0.5;

export interface RareTokenRule {
  /** Human-readable, kept in the drift reference so a reader knows what the share measures. */
  definition: string;
  unkId: number | null;
  /** Rank (0 = most probable) from which a piece is rare. */
  rankCutoff: number;
  vocabSize: number;
  readonly isRare: (id: number) => boolean;
}

interface TokenizerModelJson {
  type?: string;
  unk_id?: number | null;
  unk_token?: string;
  vocab?: Array<[string, number]> | Record<string, number>;
}

/**
 * Unigram (SentencePiece) vocabularies carry each piece's log-probability: pieces are ranked by it. Others (WordPiece,
 * BPE) carry none; their ids follow the order the vocabulary was built in, roughly by frequency, so ids rank them.
 * Either way the unknown piece is rare too, whatever its rank.
 */
export function rareTokenRule(tokenizerJson: object): RareTokenRule {
  const model = (tokenizerJson as { model?: TokenizerModelJson }).model;
  const vocab = model?.vocab;
  if (!model || !vocab) throw new ModelLoadError('tokenizer.json has no model.vocab; cannot tell rare tokens');
  const vocabSize = Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length;
  const rankCutoff = Math.floor(vocabSize * RARE_RANK_FRACTION);
  const rare = new Uint8Array(vocabSize);
  let unkId: number | null;
  if (Array.isArray(vocab)) {
    unkId = typeof model.unk_id === 'number' ? model.unk_id : null;
    const byScore = vocab.map((_, id) => id).sort((a, b) => vocab[b][1] - vocab[a][1] || a - b);
    for (let r = rankCutoff; r < byScore.length; r++) rare[byScore[r]] = 1;
  } else {
    unkId = model.unk_token !== undefined ? (vocab[model.unk_token] ?? null) : null;
    for (const id of Object.values(vocab)) if (id >= rankCutoff && id < vocabSize) rare[id] = 1;
  }
  if (unkId !== null && unkId >= 0 && unkId < vocabSize) rare[unkId] = 1;
  const ranking = Array.isArray(vocab) ? 'unigram log-probability' : 'vocabulary id';
  return {
    definition: `the unknown piece (id ${unkId ?? 'none'}), or a piece ranked ${rankCutoff} or later of ${vocabSize} by ${ranking}`,
    unkId,
    rankCutoff,
    vocabSize,
    // Ids outside the vocabulary cannot come from this tokenizer; they count as rare rather than crash.
    isRare: (id) => id < 0 || id >= vocabSize || rare[id] === 1,
  };
}

export function readRareTokenRule(tokenizerFile: string): RareTokenRule {
  let json: object;
  try {
    json = JSON.parse(fs.readFileSync(tokenizerFile, 'utf8')) as object;
  } catch (e) {
    throw new ModelLoadError(`cannot read tokenizer.json ${tokenizerFile}: ${(e as Error).message}`, {
      file: tokenizerFile,
      cause: e,
    });
  }
  return rareTokenRule(json);
}

/** Share of a token window that is rare: one arithmetic for a validation window and a served text's first window. */
export function rareShareOf(ids: ArrayLike<number>, isRare: (id: number) => boolean): number {
  if (ids.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (isRare(ids[i])) n++;
  return n / ids.length;
}
