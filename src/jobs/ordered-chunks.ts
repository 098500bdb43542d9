// Runs chunk work with a few chunks in flight and hands each result on in input order, however the work finishes.
export interface OrderedChunksOptions<T, R> {
  /** Chunks worked on at once: two keeps the engine busy while the previous chunk is committed. */
  inFlight: number;
  work: (items: T[]) => Promise<R>;
  /** Called once per chunk, strictly in dispatch order. */
  commit: (items: T[], result: R) => Promise<void>;
}

export class OrderedChunks<T, R> {
  private readonly pending: { items: T[]; result: Promise<R> }[] = [];

  constructor(private readonly o: OrderedChunksOptions<T, R>) {}

  /** Starts a chunk; waits only while the in-flight limit is reached. */
  async push(items: T[]): Promise<void> {
    this.pending.push({ items, result: this.o.work(items) });
    while (this.pending.length >= this.o.inFlight) await this.drainOne();
  }

  /** Finishes and commits everything started (on abort too: the work is done and the output stays in order). */
  async drain(): Promise<void> {
    while (this.pending.length) await this.drainOne();
  }

  /** After a failure: no chunk's promise is left unobserved. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.pending.map((c) => c.result));
  }

  private async drainOne(): Promise<void> {
    const chunk = this.pending.shift()!;
    await this.o.commit(chunk.items, await chunk.result);
  }
}
