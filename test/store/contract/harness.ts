// What the store contract suite needs from each implementation's test file: a store with no rows, per test.
import { beforeEach } from 'vitest';
import type { Store } from '../../../src/store';

export interface StoreHarness {
  /** A store with no rows, set up by the implementation's beforeEach. */
  store: Store;
  /**
   * Whether any byte of the marker is still in the files the store keeps (deleted-but-not-overwritten data counts).
   * Undefined where the test cannot read them (a remote PostgreSQL server): byte checks are then left out.
   */
  bytesVisible?: (marker: string) => Promise<boolean | undefined>;
}

export type HarnessRef = () => StoreHarness;

/** The current test's store, for contract modules that copy `store.` calls as they are. */
export function useStore(h: HarnessRef): () => Store {
  let current: Store | undefined;
  beforeEach(() => {
    current = h().store;
  });
  return () => {
    if (!current) throw new Error('no store: the implementation test file must set one in beforeEach');
    return current;
  };
}
