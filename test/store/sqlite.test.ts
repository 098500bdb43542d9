// Runs the store contract against SQLite: a fresh database file per test, whose bytes the erasure checks can read.
import { afterEach, beforeEach, describe } from 'vitest';
import { storeContract, type StoreHarness } from './store-contract';
import { fileContains, tempStore, type TempStore } from './temp-store';

describe('SqliteStore', () => {
  let t: TempStore;
  let harness: StoreHarness;
  beforeEach(async () => {
    t = await tempStore();
    harness = { store: t.store, bytesVisible: (marker) => fileContains(t.file, marker) };
  });
  afterEach(async () => {
    await t.cleanup();
  });
  storeContract(() => harness);
});
