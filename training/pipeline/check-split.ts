// Refuses a training split that cannot train and validate a classifier, before any training starts.
import { ValidationError } from '../../src/errors';

/**
 * Every mode needs both classes on both sides of the split (a head cannot learn a class it never sees, and validation
 * ROC-AUC needs both): refused before anything trains, with the counts.
 */
export function checkSplitClasses(
  split: { train: number[]; valid: number[] },
  labels: number[],
  files: string[],
): void {
  const count = (rows: number[]) => {
    const positives = rows.filter((i) => labels[i] === 1).length;
    return { positives, negatives: rows.length - positives };
  };
  const train = count(split.train);
  const valid = count(split.valid);
  if (Math.min(train.positives, train.negatives) >= 2 && Math.min(valid.positives, valid.negatives) >= 1) return;
  throw new ValidationError(
    `${files.join(', ')}: too few rows of one class to train and validate: the training split has ` +
      `${train.positives} positive / ${train.negatives} negative rows, the validation split ` +
      `${valid.positives} / ${valid.negatives}; at least 2 of each class to train and 1 of each to validate are needed`,
    { field: 'label' },
  );
}
