// Churn lift: how much more often a theme's customers churned than customers with a known outcome in general.

export interface ChurnBase {
  /** Each customer's latest known outcome (true = churned). */
  outcomes: ReadonlyMap<string, boolean>;
  /** Churn rate over the customers in view with a known outcome. */
  overallRate: number;
  minCustomers: number;
}

export function churnRate(
  customerIds: Iterable<string>,
  outcomes: ReadonlyMap<string, boolean>,
): { known: number; rate: number } {
  let known = 0;
  let churned = 0;
  for (const id of new Set(customerIds)) {
    const o = outcomes.get(id);
    if (o === undefined) continue;
    known++;
    if (o) churned++;
  }
  return { known, rate: known ? churned / known : 0 };
}

/** null when fewer than minCustomers of the theme's customers have an outcome, or nobody in view churned. */
export function churnLift(customerIds: Iterable<string>, base: ChurnBase): number | null {
  const { known, rate } = churnRate(customerIds, base.outcomes);
  if (known < base.minCustomers || base.overallRate <= 0) return null;
  return rate / base.overallRate;
}
