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
  /**
   * The customer's earlier scored texts, newest first: the latest HISTORY_FOR_FUSION with a fusion model (its text
   * aggregates need them), only the newest without one (all a caller reads then is the previous risk).
   */
  history: ScoreHistoryEntry[];
  /** `risk` is the fused value when a fusion model and the customer (or features) are known, else the text risk. */
  fused: FusionPrediction;
}

/** Scored texts the fusion model's text aggregates look back over. */
export const HISTORY_FOR_FUSION = 1000;

/** Online requests and batch jobs both call this, so `risk` means the same on every path (see the README glossary). */
export async function customerRisk(deps: CustomerRiskDeps, input: CustomerRiskInput): Promise<CustomerRisk> {
  const { customerId, textRisk, now } = input;
  const customer = customerId ? await deps.store.customers.get(customerId) : null;
  const features = customer || input.features ? { ...(customer?.features ?? {}), ...(input.features ?? {}) } : null;
  // Every request of a known customer reads this; without fusion, 999 of 1,000 rows would be read for nothing.
  const limit = deps.fusion ? HISTORY_FOR_FUSION : 1;
  const history = customerId ? await deps.store.scores.history(customerId, { limit }) : [];
  const textOnly: FusionPrediction = { risk: textRisk, tabularRisk: null, used: 'text', contributions: [] };
  if (!deps.fusion) return { customer, features, history, fused: textOnly };
  const aggregates = aggregateTextRisks(
    [...history.map((h) => ({ risk: h.textRisk, createdAt: h.createdAt })), { risk: textRisk, createdAt: now }],
    // The fusion model's own half-life, so serving aggregates texts exactly as its training did.
    { now, halfLifeDays: deps.fusion.halfLifeDays },
  );
  return { customer, features, history, fused: deps.fusion.predict({ features, textAggregates: aggregates }) };
}
