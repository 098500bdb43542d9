// A job row's risk as online: fused with the row's customer when the job names a customer column and fusion serves.
import { customerRisk, type FusionModel } from '../fuse';
import type { Store } from '../store';
import type { JobSpec } from './job-spec';
import type { ScoreFileOptions } from './score-file';
import { customerOf } from './store-job-rows';

export function jobFuseRisk(
  ctx: { store: Store; fusion?: FusionModel; now: () => Date },
  spec: Pick<JobSpec, 'customerCol'>,
): ScoreFileOptions['fuseRisk'] {
  const { fusion, store } = ctx;
  const column = spec.customerCol;
  if (!fusion || !column) return undefined;
  return async (values, textRisk) =>
    (await customerRisk({ store, fusion }, { customerId: customerOf(values, column), textRisk, now: ctx.now() })).fused;
}
