// Test fixture reader: the 4,000 labelled fine-food reviews of fixtures/data/fine_foods_train.csv.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { DataFileError } from '../../src/errors';

export interface Review {
  review: string;
  score: 'great' | 'other';
}

export const REVIEWS_CSV = fileURLToPath(new URL('../../fixtures/data/fine_foods_train.csv', import.meta.url));

/** Rows in file order; throws DataFileError naming the row when a label or review is malformed. */
export async function loadReviews(opts: { path?: string } = {}): Promise<Review[]> {
  const file = opts.path ?? REVIEWS_CSV;
  const rows: Record<string, string>[] = parse(await readFile(file), { columns: true, skip_empty_lines: true });
  return rows.map((row, i) => {
    const { review, score } = row;
    // Row numbers are 1-based and count the header, as in an editor.
    if (typeof review !== 'string')
      throw new DataFileError(`${file}: row ${i + 2} has no review column`, { file, row: i + 2 });
    if (score !== 'great' && score !== 'other') {
      throw new DataFileError(`${file}: row ${i + 2} has score ${JSON.stringify(score)}, expected great|other`, {
        file,
        row: i + 2,
      });
    }
    return { review, score };
  });
}

/** Just the texts of the first `limit` reviews. */
export async function reviewTexts(limit: number): Promise<string[]> {
  return (await loadReviews()).slice(0, limit).map((r) => r.review);
}
