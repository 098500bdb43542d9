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
export function decomposeWindows(
  ts: TextTokenStates,
  unitOf: Int32Array,
  unitCount: number,
  tail: DriverTail,
): WindowDecomposition {
  const dim = ts.dim;
  const logitsWithout = Array.from({ length: unitCount }, () => Float64Array.from(ts.windows, (w) => w.logit));
  const sum = new Float64Array(dim);
  const pooled = new Float32Array(dim);
  let check = 0;
  ts.windows.forEach((w, wi) => {
    const n = w.ids.length;
    sum.fill(0);
    for (let t = 0; t < n; t++) for (let d = 0; d < dim; d++) sum[d] += w.states[t * dim + d];
    for (let d = 0; d < dim; d++) pooled[d] = sum[d] / Math.max(n, 1);
    const full = tail.logit(pooled, w.ids);
    check = Math.max(check, Math.abs(full - w.logit));
    const members = new Map<number, number[]>();
    for (let t = 0; t < n; t++) {
      const u = unitOf[w.start + t] ?? -1;
      if (u >= 0) (members.get(u) ?? members.set(u, []).get(u)!).push(t);
    }
    for (const [u, tokens] of members) {
      const gone = new Set(tokens);
      const kept = n - tokens.length;
      for (let d = 0; d < dim; d++) {
        let s = sum[d];
        for (const t of tokens) s -= w.states[t * dim + d];
        pooled[d] = s / Math.max(kept, 1);
      }
      const ids = w.ids.filter((_, t) => !gone.has(t));
      logitsWithout[u][wi] = w.logit + (tail.logit(pooled, ids) - full);
    }
  });
  return { check, logitsWithout };
}
