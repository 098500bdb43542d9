// Wraps a TextModel and counts its passes: how the driver evaluation prices each method in model runs and sequences.
import type { ModelOutputs, ModelRunOptions, SideGraph, SideGraphSpec, TextModel } from './text-model';

export class CountingTextModel implements TextModel {
  /** run() calls (one padded batch each). */
  runs = 0;
  /** Sequences (windows) across those runs. */
  sequences = 0;

  constructor(private readonly inner: TextModel) {
    const open = inner.openSideGraph?.bind(inner);
    if (open) {
      this.openSideGraph = async (spec) => {
        const graph = await open(spec);
        return {
          run: (input, dims) => {
            this.sideRuns++;
            return graph.run(input, dims);
          },
        };
      };
    }
  }

  get provider(): string {
    return this.inner.provider;
  }

  get embeddingDim(): number {
    return this.inner.embeddingDim;
  }

  get supportsTokenStates(): boolean {
    return this.inner.supportsTokenStates === true;
  }

  run(sequences: readonly Int32Array[], opts?: ModelRunOptions): Promise<ModelOutputs> {
    this.runs++;
    this.sequences += sequences.length;
    return this.inner.run(sequences, opts);
  }

  /** Side-graph runs (the drivers' tail): priced apart, since each is one small product, not a model pass. */
  sideRuns = 0;

  /** Present exactly when the wrapped model has it, so a wrapped fake still reports that it runs none. */
  readonly openSideGraph?: (spec: SideGraphSpec) => Promise<SideGraph>;

  /** Counts so far, for a caller that prices one step as the difference of two snapshots. */
  snapshot(): { runs: number; sequences: number } {
    return { runs: this.runs, sequences: this.sequences };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}
