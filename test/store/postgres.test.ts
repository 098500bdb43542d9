// Runs the store contract against PostgreSQL on a fresh database; skips saying why without a server, fails in CI.
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/logging';
import { PostgresStore } from '../../src/store';
import { createTestDatabase, truncateAll } from './pg-test-database';
import { storeContract, type StoreHarness } from './store-contract';

const setup = await createTestDatabase();
const skip = 'skip' in setup ? setup.skip : undefined;
if (skip) {
  // In CI a skipped PostgreSQL suite hides a broken setup: fail instead.
  if (process.env.CI === 'true') throw new Error(`CI=true but the PostgreSQL suites cannot run: ${skip}`);
  process.stderr.write(`PostgreSQL store suite skipped: ${skip}\n`);
}

describe.skipIf(skip !== undefined)(`PostgresStore${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const db = 'db' in setup ? setup.db : undefined;
  let store: PostgresStore;
  let harness: StoreHarness;
  beforeAll(async () => {
    store = await PostgresStore.create({
      url: db!.url,
      display: db!.name,
      logger: process.env.PG_TEST_LOG ? createLogger({ level: 'warn' }) : silentLogger(),
    });
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

// Keeps a visible, named entry in the report when the suite above is skipped.
it.skipIf(skip === undefined)(`PostgreSQL suites skipped: ${skip ?? ''}`, () => undefined);
