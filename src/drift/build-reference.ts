// Builds a drift reference from per-text values of a bundle's validation texts: centroid, quantile bins, KS samples, source mix.
import type { DriftReference, NumericDriftSignal, NumericHistogram } from '../bundle';
import { TEXT_SOURCES } from '../text/text-source';
import { centroidOf, cosineDistance } from './embedding-centroid';
import { binCounts, categoryCounts, quantileEdges, sampleQuantiles } from './histogram';

/** Ten quantile bins: the usual PSI layout, each bin ~10% of the reference. */
export const DEFAULT_REFERENCE_BINS = 10;
/** Order statistics kept per signal for KS; more only grows the file. */
export const REFERENCE_SAMPLE_SIZE = 1000;

export interface ReferenceText {
  /** Calibrated text risk. */
  risk: number;
  /** Tokens of the text (already capped at tokenCap by the caller, or not: they are capped here). */
  tokens: number;
  rareShare: number;
  embedding: Float32Array;
  /** Absent when the validation data records none. */
  source?: string;
}

export interface BuildReferenceOptions {
  model: string;
  engine: DriftReference['engine'];
  tokenCap: number;
  rareTokens: DriftReference['rareTokens'];
  texts: readonly ReferenceText[];
  bins?: number;
  createdAt?: Date;
}

export function buildDriftReference(opts: BuildReferenceOptions): DriftReference {
  if (opts.texts.length === 0) throw new RangeError('a drift reference needs at least one validation text');
  const bins = opts.bins ?? DEFAULT_REFERENCE_BINS;
  const centroid = centroidOf(opts.texts.map((t) => t.embedding));
  const values: Record<NumericDriftSignal, number[]> = {
    risk: opts.texts.map((t) => t.risk),
    tokens: opts.texts.map((t) => Math.min(t.tokens, opts.tokenCap)),
    rare_share: opts.texts.map((t) => t.rareShare),
    centroid_distance: opts.texts.map((t) => cosineDistance(t.embedding, centroid) ?? Number.NaN),
  };
  const histogram = (v: number[]): NumericHistogram => {
    const edges = quantileEdges(v, bins);
    return { edges, counts: binCounts(v, edges), sample: sampleQuantiles(v, REFERENCE_SAMPLE_SIZE) };
  };
  const sources = opts.texts.map((t) => t.source);
  const recorded = sources.every((s): s is string => s !== undefined && s !== '');
  return {
    format: 1,
    model: opts.model,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    texts: opts.texts.length,
    engine: opts.engine,
    tokenCap: opts.tokenCap,
    rareTokens: opts.rareTokens,
    centroid: Array.from(centroid),
    numeric: {
      risk: histogram(values.risk),
      tokens: histogram(values.tokens),
      rare_share: histogram(values.rare_share),
      centroid_distance: histogram(values.centroid_distance),
    },
    source: recorded
      ? { recorded: true, categories: [...TEXT_SOURCES], counts: categoryCounts(sources, TEXT_SOURCES) }
      : { recorded: false, reason: 'the validation split records no source for some of its texts' },
  };
}
