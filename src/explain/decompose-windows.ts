// Per-window logits of a text with one unit's tokens taken out, from the token states of the one scoring pass.
import type { TextTokenStates } from '../engine';
import type { DriverTail } from './driver-tail';
import type { TextSpan } from './text-span';

/**
 * Which unit each token belongs to (-1: none, e.g. the separator between clauses): the unit sharing most visible
 * characters with the token, since pieces straddle unit edges (", bu" | "t th" | "e bill") and a piece that is mostly
 * the removed clause goes when the clause goes.
 */
export function unitOfTokens(text: string, offsets: Uint32Array, units: readonly TextSpan[]): Int32Array {
  const count = offsets.length / 2;
  const out = new Int32Array(count).fill(-1);
  let first = 0;
  let lastStart = 0;
  for (let t = 0; t < count; t++) {
    const a = offsets[2 * t];
    const b = offsets[2 * t + 1];
    if (a < lastStart) first = 0; // offsets go back only for odd pieces; rescan rather than misassign
    lastStart = a;
    while (first < units.length && units[first].end <= a) first++;
    let best = 0;
    for (let u = first; u < units.length && units[u].start < b; u++) {
      const visible = visibleChars(text, Math.max(a, units[u].start), Math.min(b, units[u].end));
      if (visible > best) [best, out[t]] = [visible, u];
    }
  }
  return out;
}

function visibleChars(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!/\s/.test(text[i])) n++;
  return n;
}

export interface WindowDecomposition {
  /** Largest |tail(full window) − model logit| over the windows: how far the recomputed tail is from the model. */
  check: number;
  /** logitsWithout[u][w]: window w's logit with unit u's tokens removed (the model's own logit where u is absent). */
  logitsWithout: Float64Array[];
}

/**
 * Removing a unit's tokens takes their states out of the pooled mean and their ids out of the bags (the bigram that
 * spans the gap joins in, as it would in the shortened text); attention context stays frozen, which is the
 * approximation. The change is applied to the model's own logit, so the fp32 tail's small offset from an int8 model
 * cancels instead of showing up in every weight.
 */
export async function decomposeWindows(
  ts: TextTokenStates,
  unitOf: Int32Array,
  unitCount: number,
  tail: DriverTail,
): Promise<WindowDecomposition> {
  const dim = ts.dim;
  const logitsWithout = Array.from({ length: unitCount }, () => Float64Array.from(ts.windows, (w) => w.logit));
  const windowRuns = ts.windows.map((w) => [...unitRuns(unitOf, w.start, w.ids.length)]);
  // Every window's variants in one tail call (one side-graph run per text): per window, its full row (the
  // self-check) and then one row per unit without that unit's tokens.
  const rows = windowRuns.reduce((n, runs) => n + 1 + runs.length, 0);
  const pooled = new Float32Array(rows * dim);
  const ids: ArrayLike<number>[] = [];
  const sum = new Float64Array(dim);
  const part = new Float64Array(dim);
  ts.windows.forEach((w, wi) => {
    const n = w.ids.length;
    sumRows(w.states, 0, n, dim, sum);
    scaleInto(sum, 1 / Math.max(n, 1), pooled, ids.length * dim);
    ids.push(w.ids);
    for (const [, [from, to]] of windowRuns[wi]) {
      // Units are contiguous in the text, so a unit's tokens in a window are one run [from, to).
      sumRows(w.states, from, to, dim, part);
      for (let d = 0; d < dim; d++) part[d] = sum[d] - part[d];
      scaleInto(part, 1 / Math.max(n - (to - from), 1), pooled, ids.length * dim);
      const kept = new Int32Array(n - (to - from));
      kept.set(w.ids.subarray(0, from));
      kept.set(w.ids.subarray(to), from);
      ids.push(kept);
    }
  });
  const logits = await tail.logits(pooled, ids);
  let check = 0;
  let row = 0;
  ts.windows.forEach((w, wi) => {
    const full = logits[row++];
    check = Math.max(check, Math.abs(full - w.logit));
    for (const [u] of windowRuns[wi]) logitsWithout[u][wi] = w.logit + (logits[row++] - full);
  });
  return { check, logitsWithout };
}

/** out = Σ rows [from, to) of a row-major [*, dim] matrix. */
function sumRows(states: Float32Array, from: number, to: number, dim: number, out: Float64Array): void {
  out.fill(0);
  for (let t = from; t < to; t++) {
    const row = t * dim;
    for (let d = 0; d < dim; d++) out[d] += states[row + d];
  }
}

function scaleInto(x: Float64Array, k: number, out: Float32Array, at: number): void {
  for (let d = 0; d < x.length; d++) out[at + d] = x[d] * k;
}

/** Each unit's token run inside a window, window-relative; a unit whose tokens are not one run keeps its outer run. */
function unitRuns(unitOf: Int32Array, start: number, n: number): Map<number, [number, number]> {
  const runs = new Map<number, [number, number]>();
  for (let t = 0; t < n; t++) {
    const u = unitOf[start + t] ?? -1;
    if (u < 0) continue;
    const run = runs.get(u);
    if (run) run[1] = t + 1;
    else runs.set(u, [t, t + 1]);
  }
  return runs;
}
