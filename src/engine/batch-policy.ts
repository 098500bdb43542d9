// Which waiting windows may share one model call: the per-provider policy measured by bench:model-batch, applied by the micro-batcher.

export interface BatchPolicy {
  /** Most windows in one call. */
  maxBatch: number;
  /** How long an idle batcher waits for company before running a partial batch. */
  maxWaitMs: number;
  /** Most padding a call may carry, as a fraction of its real tokens; undefined: no limit. */
  maxPaddingFraction?: number;
  /** Most padded tokens (longest window × windows) in one call; Infinity: no limit. */
  maxBatchTokens: number;
  /** Why this policy, for the start-up log. */
  reason: string;
}

/**
 * CPU figures (npm run bench:model-batch, 2 cores, one worker, best of 3 interleaved rounds; docs/bench-model-batch.json):
 * windows of equal length gain from sharing a call, most when short and in int8 (16 tokens x16: fp32 2.3x, int8 3.5x
 * the single-window rate; 64 tokens x16: 1.4x / 2.3x; 256 tokens: at most 1.2x / 1.3x, peaking at 8 and falling at 16),
 * while padding is paid in full: real windows in arrival order (40-110% padding) run at 0.54-0.86x of one at a time.
 * Length-sorted neighbours with 1-6% padding keep the gain (int8 x4: 1.5x). So on CPU a call takes only windows within
 * 5% padding of each other, and at most 2,048 padded tokens (8 windows of 256).
 */
export const CPU_MAX_PADDING_FRACTION = 0.05;
export const CPU_MAX_BATCH_TOKENS = 2048;

/** The policy for the provider that actually runs; the configured limits cap it everywhere. */
export function batchPolicyFor(
  provider: string,
  config: { maxBatch: number; maxWaitMs: number; maxPaddingFraction?: number },
): BatchPolicy {
  if (provider === 'cpu') {
    return {
      maxBatch: config.maxBatch,
      // Company is rarely worth waiting for when only near-equal lengths may share a call: an idle model starts at once.
      maxWaitMs: 0,
      maxPaddingFraction: Math.min(config.maxPaddingFraction ?? Infinity, CPU_MAX_PADDING_FRACTION),
      maxBatchTokens: CPU_MAX_BATCH_TOKENS,
      reason:
        `cpu: windows within ${CPU_MAX_PADDING_FRACTION * 100}% padding of each other, ` +
        `at most ${CPU_MAX_BATCH_TOKENS} tokens per call (bench:model-batch)`,
    };
  }
  // GPUs (and the fakes of fast tests) keep wide batches: a kernel launch per call is what costs there.
  return {
    maxBatch: config.maxBatch,
    maxWaitMs: config.maxWaitMs,
    maxPaddingFraction: config.maxPaddingFraction,
    maxBatchTokens: Infinity,
    reason: `${provider}: batches of up to ${config.maxBatch} windows of similar length`,
  };
}

/**
 * The next call's windows, as a range [lo, hi) of `lengths` (ascending): the window at `oldest` always goes (no
 * starvation), with the neighbours closest to it in length, then the farthest are dropped until the call fits the
 * policy's padding and token limits.
 */
export function selectBatch(
  lengths: readonly number[],
  oldest: number,
  policy: Pick<BatchPolicy, 'maxBatch' | 'maxPaddingFraction' | 'maxBatchTokens'>,
): { lo: number; hi: number } {
  let lo = oldest;
  let hi = oldest + 1;
  const at = lengths[oldest];
  while (hi - lo < policy.maxBatch && (lo > 0 || hi < lengths.length)) {
    const canLo = lo > 0;
    const canHi = hi < lengths.length;
    if (canLo && (!canHi || at - lengths[lo - 1] <= lengths[hi] - at)) lo--;
    else hi++;
  }
  const fits = () => {
    const n = hi - lo;
    const longest = lengths[hi - 1];
    let real = 0;
    for (let i = lo; i < hi; i++) real += lengths[i];
    const padding = (longest * n - real) / Math.max(real, 1);
    return (
      longest * n <= policy.maxBatchTokens &&
      (policy.maxPaddingFraction === undefined || padding <= policy.maxPaddingFraction)
    );
  };
  while (hi - lo > 1 && !fits()) {
    const canDropLo = lo !== oldest;
    const canDropHi = hi - 1 !== oldest;
    // The end farthest in length from the oldest goes first (the longer one on a tie: it is what padding is paid to).
    const dropHi = canDropHi && (!canDropLo || lengths[hi - 1] - at >= at - lengths[lo]);
    if (dropHi) hi--;
    else lo++;
  }
  return { lo, hi };
}
