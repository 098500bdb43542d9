// What one text to score is, as the service sees it: the API's request schema and the CLI both produce this shape.
import type { TextSource } from '../text/text-source';

export interface ScoreRequestItem {
  text: string;
  source?: TextSource;
  customerId?: string;
  /** Behavioural features by name, as declared in the fusion model's tabular schema. */
  features?: Record<string, string | number | boolean | null>;
  /** Phrase drivers: default on for a single text, and from the configured band up in batches. */
  explain?: boolean;
}
