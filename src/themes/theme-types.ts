// The themes engine's results, as GET /v1/themes, POST /v1/themes/probe and `churnscope themes` return them.
import type { TextSource } from '../store';

/** What to look at; `minRisk` is also the dissatisfaction threshold (default: the active model's `high` band). */
export interface ThemeFilters {
  from?: string;
  to?: string;
  source?: TextSource;
  minRisk?: number;
  segment?: string;
}

export interface ThemeQuote {
  textId: string;
  text: string;
  risk: number;
}

export interface WeekCount {
  /** The Monday (UTC) starting the week, YYYY-MM-DD. */
  week: string;
  count: number;
}

export interface Theme {
  /** Stable across refits while the theme's centroid stays recognisable. */
  id: string;
  label: string;
  keywords: string[];
  quotes: ThemeQuote[];
  size: number;
  meanRisk: number;
  /** Churn rate of the theme's customers over that of all customers with a known outcome; null when too few are known. */
  churnLift: number | null;
  weekly: WeekCount[];
}

export interface ThemesResult {
  themes: Theme[];
  /** Dissatisfied texts close to no theme, over all dissatisfied texts (0 when there are none). */
  unassignedShare: number;
  totalTexts: number;
  dissatisfiedTexts: number;
  computedAt: string;
  /** The filters applied, minRisk resolved to the threshold actually used. */
  filters: ThemeFilters & { minRisk: number };
}

export interface ProbeMatch {
  textId: string;
  text: string | null;
  risk: number;
  similarity: number;
  source: TextSource;
  createdAt: string;
}

export interface ProbeResult {
  query: string;
  matches: ProbeMatch[];
  /** Share of the matches at or above the dissatisfaction threshold. */
  shareOfDissatisfied: number;
  meanRisk: number;
  weekly: WeekCount[];
}
