// npm run drift:reference -- --model models/default: writes drift-reference.json into an existing bundle.
import { Command } from 'commander';
import { hasValidationSet, writeDriftReference, driftReferencePath } from '../src/bundle';
import { driftReferenceForBundle } from '../src/drift';
import { createLogger } from '../src/logging';

const program = new Command()
  .name('drift-reference')
  .description("Scores the bundle's validation split with its own engine and writes drift-reference.json beside it")
  .requiredOption('--model <dir>', 'model bundle folder (holds validation-set.json)')
  .option('--log-level <level>', 'log level', 'warn')
  .parse();

const opts = program.opts<{ model: string; logLevel: string }>();
if (!hasValidationSet(opts.model)) {
  console.error(`--model ${opts.model}: no validation-set.json there; retrain or pick a bundle that has one`);
  process.exit(2);
}
const logger = createLogger({ level: opts.logLevel });
const started = performance.now();
const reference = await driftReferenceForBundle({ dir: opts.model, logger });
writeDriftReference(opts.model, reference);
console.log(
  JSON.stringify({
    file: driftReferencePath(opts.model),
    model: reference.model,
    texts: reference.texts,
    engine: reference.engine,
    rareTokens: reference.rareTokens.definition,
    sourceRecorded: reference.source.recorded,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  }),
);
