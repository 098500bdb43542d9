// `churnscope score`: batch-scores a CSV/JSONL file into a scored copy, with a progress bar, Ctrl-C safety and --resume.
import cliProgress from 'cli-progress';
import { commandLogger } from './command-logger';
import { loadConfig } from '../config';
import { openServingModel } from '../models';
import { scoreFile, type ScoreProgress } from '../jobs';

export interface ScoreFlags {
  /** auto | fp32 | int8, validated by loadConfig. */
  precision?: string;
  in: string;
  out: string;
  textCol: string;
  idCol?: string;
  model?: string;
  resume?: boolean;
  phrases?: boolean;
}

export async function scoreCommand(flags: ScoreFlags): Promise<void> {
  const config = loadConfig({ env: process.env, flags: { model: flags.model, precision: flags.precision } });
  const logger = commandLogger();
  const model = await openServingModel({ dir: config.modelDir, engine: config.engine, logger });
  const { engine } = model;
  const abort = new AbortController();
  // First Ctrl-C finishes the chunks in flight and exits cleanly; a second one is the user insisting.
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nchurnscope: stopping after the chunks in flight (Ctrl-C again to force)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  // Progress is in input bytes, the one measure known up front, so the ETA holds for any row length.
  const bar = new cliProgress.SingleBar(
    {
      format: 'scoring [{bar}] {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let barStarted = false;
  const onProgress = (p: ScoreProgress) => {
    const rate = Math.round(p.scored / Math.max((Date.now() - started) / 1000, 1e-3));
    if (!barStarted) {
      bar.start(Math.max(p.totalBytes, 1), 0, { rows: 0, rate: 0 });
      barStarted = true;
    }
    bar.update(Math.min(p.bytesRead, p.totalBytes), { rows: p.records, rate });
  };
  try {
    const summary = await scoreFile({
      input: flags.in,
      output: flags.out,
      textColumn: flags.textCol,
      idColumn: flags.idCol,
      engine,
      calibrator: model.calibrator,
      resume: flags.resume,
      phrases: flags.phrases,
      drivers: model.drivers,
      signal: abort.signal,
      onProgress,
    });
    if (barStarted) bar.stop();
    const report = {
      model: model.info.version,
      precision: engine.precision,
      modelFile: engine.modelFile,
      ...summary,
      seconds: round2(summary.seconds),
      rowsPerSecond: round2(summary.rowsPerSecond),
    };
    process.stderr.write(
      `${summary.aborted ? 'stopped' : 'done'}: ${summary.rows} rows, ${summary.scored} scored, ${summary.errors} errors` +
        `${summary.skipped ? `, ${summary.skipped} skipped (resume)` : ''} in ${report.seconds}s (${report.rowsPerSecond} rows/s)` +
        `${summary.errors ? `; bad rows in ${summary.errorsFile}` : ''}${summary.aborted ? '; continue with --resume' : ''}\n`,
    );
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (summary.aborted) process.exitCode = 130;
  } finally {
    if (barStarted) bar.stop();
    process.off('SIGINT', onSigint);
    await engine.dispose();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
