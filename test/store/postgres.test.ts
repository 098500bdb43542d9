// Runs the store contract against PostgreSQL on a fresh database; skips saying why without a server, fails in CI.
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { testDatabaseFor, truncateAll } from './pg-test-database';
import { storeContract, type StoreHarness } from './store-contract';

const { db, skip } = await testDatabaseFor('PostgreSQL store suite');

describe.skipIf(skip !== undefined)(`PostgresStore${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let store: PostgresStore;
  let harness: StoreHarness;
  beforeAll(async () => {
    store = await PostgresStore.create({ url: db!.url, display: db!.name, logger: silentLogger() });
    harness = { store, bytesVisible: (marker) => db!.bytesVisible(marker) };
  });
  beforeEach(async () => {
    await truncateAll(db!.url);
  });
  afterAll(async () => {
    await store?.dispose();
    await db?.drop();
  });
  storeContract(() => harness);
});
