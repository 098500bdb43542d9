// churnscope command line: parses flags into the typed Config once, then hands off to one command module each.
import { Command, InvalidArgumentError } from 'commander';
import { isChurnscopeError } from './errors';
import { serveCommand } from './commands/serve';
import { scoreTextCommand } from './commands/score-text';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be an integer, got "${v}"`);
  return n;
};

const program = new Command('churnscope').description('Churn risk from what customers write.').showHelpAfterError();

program
  .command('serve')
  .description('run the scoring service (HTTP)')
  .option('--port <n>', 'port to listen on (env CHURNSCOPE_PORT, default 8080)', int('--port'))
  .option('--host <addr>', 'address to bind (env CHURNSCOPE_HOST, default 127.0.0.1)')
  .option('--db <file>', 'SQLite database file (env CHURNSCOPE_DB)')
  .option('--model <dir>', 'model bundle directory (env CHURNSCOPE_MODEL, default the bundled model)')
  .option('--threads <n>', 'ONNX Runtime intra-op threads, 0 = all cores', int('--threads'))
  .action(serveCommand);

program
  .command('score-text')
  .description('score texts given as arguments and print JSON')
  .argument('<text...>', 'texts to score')
  .option('--model <dir>', 'model bundle directory')
  .action(scoreTextCommand);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isChurnscopeError(e)) {
    process.stderr.write(`churnscope: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`churnscope: unexpected failure: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
