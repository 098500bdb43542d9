// Stored outcomes to a retraining split: the newest outcomes are held back for evaluation and never trained on.
import { InsufficientDataError } from '../errors';
import type { OutcomeText } from '../store';

/** Fewest outcomes with text worth retraining on, and fewest of each class (the held-back set needs both). */
export const MIN_OUTCOMES = 40;
export const MIN_PER_CLASS = 10;
export const MIN_HELD_BACK_PER_CLASS = 3;

export interface OutcomeSplit {
  train: OutcomeText[];
  heldBack: OutcomeText[];
}

const counts = (rows: readonly OutcomeText[]) => {
  const churned = rows.filter((r) => r.label === 1).length;
  return { churned, retained: rows.length - churned };
};

/**
 * `rows` oldest outcome first (as the store lists them). Texts stored without their words are dropped first;
 * InsufficientDataError (naming the counts) when too few remain, when a class is missing or thin, or when the
 * held-back share lacks a class.
 */
export function splitOutcomes(rows: readonly OutcomeText[], heldBackFraction: number): OutcomeSplit {
  const withText = rows.filter((r) => r.text !== null && r.text.trim() !== '');
  if (rows.length === 0)
    throw new InsufficientDataError('no churned/retained outcomes are stored: record outcomes with POST /v1/feedback');
  if (withText.length === 0)
    throw new InsufficientDataError(
      `none of the ${rows.length} texts with outcomes has its words stored (privacy.storeText none?): there are no texts to train on`,
    );
  const all = counts(withText);
  if (withText.length < MIN_OUTCOMES || all.churned < MIN_PER_CLASS || all.retained < MIN_PER_CLASS)
    throw new InsufficientDataError(
      `too few outcomes with text to retrain: ${withText.length} (${all.churned} churned, ${all.retained} retained); need at least ${MIN_OUTCOMES} with ${MIN_PER_CLASS} of each`,
    );
  const cut = withText.length - Math.max(1, Math.round(withText.length * heldBackFraction));
  const split = { train: withText.slice(0, cut), heldBack: withText.slice(cut) };
  const held = counts(split.heldBack);
  if (held.churned < MIN_HELD_BACK_PER_CLASS || held.retained < MIN_HELD_BACK_PER_CLASS)
    throw new InsufficientDataError(
      `the held-back newest ${split.heldBack.length} outcomes have ${held.churned} churned and ${held.retained} retained; need ${MIN_HELD_BACK_PER_CLASS} of each to compare models (raise --held-back-fraction or wait for more outcomes)`,
    );
  return split;
}
