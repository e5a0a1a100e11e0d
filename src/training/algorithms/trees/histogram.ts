/**
 * Gradient histograms: per feature and bin, the sums of the gradients and hessians and the count of
 * the node's samples in that bin, interleaved `[g, h, n]` at `((feature << 8) + bin) * 3` (the
 * `histogram` kernel of wasm/kernels.wat builds them): the build loop touches one place per (sample,
 * feature), and the whole histogram (20 features: 120 KB) stays in cache.
 */
export const BINS = 256;
export const STRIDE = 3;

/** `out = parent - child`: the sibling's histogram without a pass over its samples. */
export function subtractHistogram(out: Float64Array, parent: Float64Array, child: Float64Array): void {
  for (let o = 0; o < out.length; o++) out[o] = (parent[o] as number) - (child[o] as number);
}
