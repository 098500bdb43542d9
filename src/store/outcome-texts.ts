// Outcome rows to retraining examples, the same for every implementation: one per text, its newest outcome wins.
import type { Outcome, OutcomeText, TextSource } from './records';

export type OutcomeTextRow = {
  outcome: Outcome;
  at: string;
  text_id: string;
  text: string | null;
  source: TextSource;
};

/** Rows come oldest outcome first; a text reported twice keeps its latest label at its latest time. */
export function latestOutcomePerText(rows: readonly OutcomeTextRow[]): OutcomeText[] {
  const byText = new Map<string, OutcomeText>();
  for (const r of rows) {
    byText.delete(r.text_id);
    byText.set(r.text_id, {
      textId: r.text_id,
      text: r.text,
      source: r.source,
      label: r.outcome === 'churned' ? 1 : 0,
      at: new Date(r.at).toISOString(),
    });
  }
  return [...byText.values()];
}
