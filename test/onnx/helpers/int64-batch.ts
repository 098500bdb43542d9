// Right-padded int64 batches as the exported graph takes them.

/** Right-padded int64 batch as the exported graph takes it. */
export function padBatch(
  ids: number[][],
  padId = 0,
): { inputIds: BigInt64Array; mask: BigInt64Array; dims: [number, number] } {
  const seq = Math.max(1, ...ids.map((r) => r.length));
  const inputIds = new BigInt64Array(ids.length * seq).fill(BigInt(padId));
  const mask = new BigInt64Array(ids.length * seq);
  ids.forEach((row, b) =>
    row.forEach((id, t) => {
      inputIds[b * seq + t] = BigInt(id);
      mask[b * seq + t] = 1n;
    }),
  );
  return { inputIds, mask, dims: [ids.length, seq] };
}
