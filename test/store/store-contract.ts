// The one contract every Store implementation must pass; sqlite.test.ts and postgres.test.ts run it against theirs.
import { adminContract } from './contract/admin';
import { customersTextsContract } from './contract/customers-texts';
import { dashboardContract } from './contract/dashboard';
import type { HarnessRef } from './contract/harness';
import { rateLimitsContract } from './contract/rate-limits';
import { scoresFeedbackContract } from './contract/scores-feedback';
import { themesContract } from './contract/themes';
import { transactionsContract } from './contract/transactions';

export type { HarnessRef, StoreHarness } from './contract/harness';

export function storeContract(h: HarnessRef): void {
  customersTextsContract(h);
  scoresFeedbackContract(h);
  adminContract(h);
  dashboardContract(h);
  themesContract(h);
  transactionsContract(h);
  rateLimitsContract(h);
}
