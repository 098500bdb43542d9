// Shapes of the dashboard's aggregate queries: the risk histogram and the customers most at risk.
import type { Band, TextSource } from './records';

export interface RiskDistributionQuery {
  /** Equal-width bins over [0, 1]. */
  bins: number;
  /** Only texts written at or after this instant. */
  from?: string | Date;
  /** Only texts written before this instant (exclusive). */
  before?: string | Date;
  source?: TextSource;
}
export interface RiskBin {
  from: number;
  to: number;
  count: number;
}
export interface RiskDistribution {
  bins: RiskBin[];
  total: number;
}

export interface AtRiskCustomerRecord {
  id: string;
  /** The newest score of the customer's newest scored text (the fused risk when fusion ran). */
  risk: number;
  band: Band;
  segment: string | null;
  /** When the customer's newest scored text was written. */
  lastTextAt: string;
  /** That score's stored drivers, as scoring wrote them ({ phrases, features }). */
  drivers: unknown;
}
