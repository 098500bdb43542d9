// The one contract every Store implementation must pass; sqlite.test.ts and postgres.test.ts run it against theirs.
import { alertsContract } from './contract/alerts';
import { customersContract } from './contract/customers';
import { dashboardContract } from './contract/dashboard';
import { driftValuesContract } from './contract/drift-values';
import { feedbackContract } from './contract/feedback';
import type { HarnessRef } from './contract/harness';
import { keysJobsModelsContract } from './contract/keys-jobs-models';
import { rateLimitsContract } from './contract/rate-limits';
import { retentionContract } from './contract/retention';
import { scoresContract } from './contract/scores';
import { textsContract } from './contract/texts';
import { themesContract } from './contract/themes';
import { transactionsContract } from './contract/transactions';

export type { HarnessRef, StoreHarness } from './contract/harness';

export function storeContract(h: HarnessRef): void {
  customersContract(h);
  retentionContract(h);
  textsContract(h);
  scoresContract(h);
  feedbackContract(h);
  alertsContract(h);
  keysJobsModelsContract(h);
  dashboardContract(h);
  themesContract(h);
  driftValuesContract(h);
  transactionsContract(h);
  rateLimitsContract(h);
}
