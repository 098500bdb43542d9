// The one step that turns a text's risk into "risk": fused with the customer's behaviour and text history when known.
import type { FusionModel, FusionPrediction } from './fusion-model';
import { aggregateTextRisks } from './text-aggregates';
import type { CustomerRecord, ScoreHistoryEntry, Store } from '../store';

export interface CustomerRiskDeps {
  store: Pick<Store, 'customers' | 'scores'>;
  fusion?: FusionModel;
}

export interface CustomerRiskInput {
  customerId: string | null;
  /** Features sent with the request; they override the stored ones of the same name. */
  features?: Record<string, unknown>;
  /** The text's calibrated risk. */
  textRisk: number;
  now: Date;
}

export interface CustomerRisk {
  customer: CustomerRecord | null;
  features: Record<string, unknown> | null;
  /** The customer's earlier scored texts, newest first. */
  history: ScoreHistoryEntry[];
  /** `risk` is the fused value when a fusion model and the customer (or features) are known, else the text risk. */
  fused: FusionPrediction;
}

/** Online requests and batch jobs both call this, so `risk` means the same on every path (see the README glossary). */
export async function customerRisk(deps: CustomerRiskDeps, input: CustomerRiskInput): Promise<CustomerRisk> {
  const { customerId, textRisk, now } = input;
  const customer = customerId ? await deps.store.customers.get(customerId) : null;
  const features = customer || input.features ? { ...(customer?.features ?? {}), ...(input.features ?? {}) } : null;
  const history = customerId ? await deps.store.scores.history(customerId, { limit: 1000 }) : [];
  const textOnly: FusionPrediction = { risk: textRisk, tabularRisk: null, used: 'text', contributions: [] };
  if (!deps.fusion) return { customer, features, history, fused: textOnly };
  const aggregates = aggregateTextRisks(
    [...history.map((h) => ({ risk: h.textRisk, createdAt: h.createdAt })), { risk: textRisk, createdAt: now }],
    // The fusion model's own half-life, so serving aggregates texts exactly as its training did.
    { now, halfLifeDays: deps.fusion.halfLifeDays },
  );
  return { customer, features, history, fused: deps.fusion.predict({ features, textAggregates: aggregates }) };
}
