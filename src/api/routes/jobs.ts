// Batch jobs over HTTP: submit an upload (or an allowed server-side file), poll it, stream its results and errors, cancel it.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ChurnscopeError, ConfigError, ConflictError, NotFoundError, ValidationError } from '../../errors';
import {
  jobDir,
  jobFiles,
  jobOptionsSchema,
  isQueuedSpec,
  parseJobSpec,
  queuedResultText,
  readProgress,
  toJobStatus,
  uploadName,
  type JobRunner,
  type JobSpec,
  type QueuedJobs,
} from '../../jobs';
import { formatOf } from '../../ingest';
import type { JobRecord, Store } from '../../store';
import { mediaType, receiveUpload } from '../receive-upload';
import { parseOr400 } from '../validate';

export interface JobsRouterDeps {
  store: Store;
  runner: JobRunner;
  maxUploadBytes: number;
  /** Folders a client may name files in; empty refuses server-side paths. */
  inputDirs: readonly string[];
  /**
   * PostgreSQL: new jobs go to the database in chunks for `churnscope worker` processes, and any replica reports,
   * streams and cancels them. Absent: jobs run in-process on this server (runner).
   */
  queued?: QueuedJobs;
}

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(50) });
const pathBody = z.strictObject({ path: z.string().min(1).max(4096), ...jobOptionsSchema.shape });

export function jobsRouter(deps: JobsRouterDeps): Router {
  const router = Router();
  router.post('/v1/jobs', async (req, res) => {
    const id = randomUUID();
    const spec =
      mediaType(req) === 'application/json'
        ? serverSideSpec(req.body, deps.inputDirs)
        : await uploadedSpec(req, res, id, deps);
    try {
      const rec = deps.queued
        ? await submitQueued(deps, deps.queued, id, spec)
        : await deps.runner.submit({ id, spec });
      res
        .status(202)
        .location(`/v1/jobs/${id}`)
        .json({
          id,
          state: rec.state,
          status: `/v1/jobs/${id}`,
          results: `/v1/jobs/${id}/results`,
          errors: `/v1/jobs/${id}/errors`,
        });
    } catch (e) {
      fs.rmSync(jobDir(deps.runner.jobsDir, id), { recursive: true, force: true });
      throw e;
    }
  });
  router.get('/v1/jobs', async (req, res) => {
    const { limit } = parseOr400(listQuery, req.query, 'query');
    res.json({ jobs: (await deps.store.jobs.list({ limit })).map(toJobStatus) });
  });
  router.get('/v1/jobs/:id', async (req, res) => {
    res.json(toJobStatus(await jobOr404(deps.store, req.params.id)));
  });
  router.get('/v1/jobs/:id/results', async (req, res) => {
    await sendJobFile(deps, req.params.id, res, 'results');
  });
  router.get('/v1/jobs/:id/errors', async (req, res) => {
    await sendJobFile(deps, req.params.id, res, 'errors');
  });
  router.delete('/v1/jobs/:id', async (req, res) => {
    const rec = await jobOr404(deps.store, req.params.id);
    if (!isQueuedSpec(rec.input)) return void res.json(toJobStatus(await deps.runner.cancel(req.params.id)));
    if (!deps.queued) throw new ConfigError(`job ${rec.id} is a queued job; this server has no job queue`);
    const cancelled = await deps.queued.cancel(rec.id);
    if (!cancelled)
      throw new ConflictError(`job ${rec.id} is already ${rec.state}; only queued or running jobs can be cancelled`, {
        field: 'id',
      });
    res.json(toJobStatus(cancelled));
  });
  return router;
}

async function uploadedSpec(req: Request, res: Response, id: string, deps: JobsRouterDeps): Promise<JobSpec> {
  const query = req.query as Record<string, unknown>;
  const format = typeof query.format === 'string' ? query.format : undefined;
  let upload;
  try {
    upload = await receiveUpload(req, {
      stagingDir: path.join(deps.runner.jobsDir, '.staging'),
      maxBytes: deps.maxUploadBytes,
      format,
    });
  } catch (e) {
    // The rest of a refused body is not worth reading: close the connection after the error response.
    if (e instanceof ChurnscopeError) res.setHeader('Connection', 'close');
    throw e;
  }
  try {
    const { format: _q, ...queryOptions } = query;
    const { format: _f, ...fieldOptions } = upload.fields;
    const options = parseOr400(jobOptionsSchema, { ...queryOptions, ...fieldOptions }, 'options');
    const dir = jobDir(deps.runner.jobsDir, id);
    fs.mkdirSync(dir, { recursive: true });
    const inputPath = path.join(dir, uploadName(upload.format, upload.gzipped));
    fs.renameSync(upload.file, inputPath);
    return {
      ...options,
      output: options.output ?? upload.format,
      format: upload.format,
      inputPath,
      filename: upload.filename,
      bytes: upload.bytes,
    };
  } finally {
    fs.rmSync(upload.file, { force: true });
  }
}

function serverSideSpec(body: unknown, inputDirs: readonly string[]): JobSpec {
  const { path: requested, ...options } = parseOr400(pathBody, body);
  if (inputDirs.length === 0) {
    throw new ValidationError(
      'server-side input paths are disabled on this server; upload the file instead (or set CHURNSCOPE_JOB_INPUT_DIRS)',
      { field: 'path' },
    );
  }
  const real = realpathOrNull(requested);
  const allowed = inputDirs.map((d) => realpathOrNull(d)).filter((d): d is string => d !== null);
  if (!real || !allowed.some((d) => real.startsWith(d + path.sep))) {
    throw new ValidationError(
      `path must name an existing file inside one of the allowed input folders (${inputDirs.join(', ')})`,
      { field: 'path' },
    );
  }
  let format: JobSpec['format'];
  try {
    format = formatOf(real);
  } catch (e) {
    throw new ValidationError('path must end in .csv, .jsonl or .ndjson (optionally .gz)', { field: 'path', cause: e });
  }
  return {
    ...options,
    output: options.output ?? format,
    format,
    inputPath: real,
    filename: path.basename(real),
    bytes: fs.statSync(real).size,
  };
}

function realpathOrNull(p: string): string | null {
  try {
    const real = fs.realpathSync(p);
    return fs.statSync(real).isFile() || fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

async function jobOr404(store: Store, id: string) {
  const rec = await store.jobs.get(id);
  if (!rec) throw new NotFoundError(`job ${id} does not exist`, { field: 'id' });
  return rec;
}

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

/** Streams only what the progress file claims, so a reader never sees a row the job may still rewrite after a crash. */
async function sendJobFile(
  deps: JobsRouterDeps,
  id: string,
  res: Response,
  which: 'results' | 'errors',
): Promise<void> {
  const rec = await jobOr404(deps.store, id);
  const spec = parseJobSpec(id, rec.input);
  if (spec.queued) return sendQueued(deps, rec, spec, res, which);
  const files = jobFiles(deps.runner.jobsDir, id, spec);
  const file = which === 'results' ? files.results : files.errors;
  const progress = readProgress(files.results);
  const claimed = which === 'results' ? progress?.outputBytes : progress?.errorsBytes;
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const bytes = Math.min(size, claimed ?? 0);
  const format = which === 'results' ? spec.output : 'jsonl';
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${id}-${which}.${format}"`);
  res.setHeader('X-Job-State', rec.state);
  res.setHeader('Content-Length', String(bytes));
  if (bytes === 0) return void res.end();
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file, { start: 0, end: bytes - 1 })
      .on('error', reject)
      .pipe(res)
      .on('finish', resolve)
      .on('close', resolve);
  });
}

/** The input goes to the database and this replica's copy goes: any worker can score it, any replica serve it. */
async function submitQueued(deps: JobsRouterDeps, queued: QueuedJobs, id: string, spec: JobSpec): Promise<JobRecord> {
  try {
    return await queued.submit({ id, spec });
  } finally {
    fs.rmSync(jobDir(deps.runner.jobsDir, id), { recursive: true, force: true });
  }
}

async function sendQueued(
  deps: JobsRouterDeps,
  rec: JobRecord,
  spec: JobSpec,
  res: Response,
  which: 'results' | 'errors',
): Promise<void> {
  if (!deps.queued) throw new ConfigError(`job ${rec.id} is a queued job; this server has no job queue`);
  const format = which === 'results' ? spec.output : 'jsonl';
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${rec.id}-${which}.${format}"`);
  res.setHeader('X-Job-State', rec.state);
  for await (const text of queuedResultText(deps.queued.queue, rec, spec, which)) {
    // Back-pressure: a slow client holds the next page's query, not memory.
    if (res.destroyed) return;
    if (!res.write(text)) await new Promise((r) => res.once('drain', r).once('close', r));
  }
  res.end();
}
