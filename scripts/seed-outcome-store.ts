// Fills a SQLite store with real fine-food reviews as texts and their labels as churned/retained outcomes, one an hour,
// for trying `churnscope retrain`: npm run seed:outcomes -- FILE [--from N] [--count N] [--shuffle-first N].
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { seedOutcomeStore } from '../test/helpers/outcome-store';
import { loadReviews } from '../test/helpers/reviews';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '0' },
    count: { type: 'string', default: '300' },
    'shuffle-first': { type: 'string', default: '0' },
  },
});
const [file] = positionals;
if (!file || fs.existsSync(file)) {
  process.stderr.write(
    'usage: seed-outcome-store FILE (a new SQLite file) [--from N] [--count N] [--shuffle-first N]\n',
  );
  process.exit(2);
}
const from = Number(values.from);
const reviews = (await loadReviews()).slice(from, from + Number(values.count));
await seedOutcomeStore(file, reviews, { shuffleFirst: Number(values['shuffle-first']) });
process.stdout.write(
  `${JSON.stringify({ file, reviews: reviews.length, churned: reviews.filter((r) => r.score === 'other').length })}\n`,
);
