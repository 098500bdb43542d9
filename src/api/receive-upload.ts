// Streams a batch-job upload (raw CSV/JSON Lines body, or multipart `file`) to a staging file under a byte limit: never held in memory, never left half-written.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { formatOf as fileFormatOf } from '../ingest';

export type UploadFormat = 'csv' | 'jsonl';

export interface ReceivedUpload {
  /** The staged file; the caller moves it into place or deletes it. */
  file: string;
  format: UploadFormat;
  gzipped: boolean;
  filename: string | null;
  bytes: number;
  /** Multipart text fields (job options), empty for raw bodies. */
  fields: Record<string, string>;
}

const RAW_TYPES: Record<string, UploadFormat | null> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/jsonlines': 'jsonl',
  // Compressed or untyped bodies need ?format=csv|jsonl.
  'application/gzip': null,
  'application/octet-stream': null,
};
export const UPLOAD_MEDIA_TYPES = [...Object.keys(RAW_TYPES), 'multipart/form-data'];

export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export async function receiveUpload(
  req: Request,
  opts: { stagingDir: string; maxBytes: number; format?: string },
): Promise<ReceivedUpload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > opts.maxBytes) throw tooLarge(opts.maxBytes);
  fs.mkdirSync(opts.stagingDir, { recursive: true });
  const file = path.join(opts.stagingDir, `${randomUUID()}.part`);
  try {
    const type = mediaType(req);
    const got =
      type === 'multipart/form-data'
        ? await receiveMultipart(req, file, opts)
        : await receiveRaw(req, file, type, opts);
    const gzipped = got.gzipHint || startsWithGzipMagic(file);
    const format = formatOf(opts.format ?? got.fields.format, got.filename, got.rawFormat);
    return { file, format, gzipped, filename: got.filename, bytes: fs.statSync(file).size, fields: got.fields };
  } catch (e) {
    fs.rmSync(file, { force: true });
    throw e;
  }
}

interface Received {
  fields: Record<string, string>;
  filename: string | null;
  rawFormat: UploadFormat | null;
  gzipHint: boolean;
}

async function receiveRaw(req: Request, file: string, type: string, opts: { maxBytes: number }): Promise<Received> {
  if (!(type in RAW_TYPES)) {
    throw new UnsupportedMediaTypeError(
      `content-type "${type || '(none)'}" is not a batch input; use one of ${UPLOAD_MEDIA_TYPES.join(', ')}, or application/json with {"path": …}`,
      {
        field: 'content-type',
      },
    );
  }
  await pipeline(req, new ByteLimit(opts.maxBytes), createFile(file));
  return {
    fields: {},
    filename: null,
    rawFormat: RAW_TYPES[type],
    gzipHint: /gzip/i.test(String(req.headers['content-encoding'] ?? '')),
  };
}

function receiveMultipart(req: Request, file: string, opts: { maxBytes: number }): Promise<Received> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let filename: string | null = null;
    let written: Promise<void> | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: opts.maxBytes, fields: 20, fieldSize: 4096 } });
    } catch (e) {
      return reject(
        new ValidationError(`malformed multipart request: ${(e as Error).message}`, {
          field: 'content-type',
          cause: e,
        }),
      );
    }
    const fail = (e: Error) => {
      req.unpipe(bb);
      reject(e);
    };
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || written) return void stream.resume();
      filename = info.filename ? path.basename(info.filename) : null;
      stream.on('limit', () => fail(tooLarge(opts.maxBytes)));
      written = pipeline(stream, createFile(file));
      written.catch(fail);
    });
    bb.on('error', (e) =>
      fail(new ValidationError(`malformed multipart body: ${(e as Error).message}`, { field: 'body', cause: e })),
    );
    bb.on('close', () => {
      if (!written) return fail(new ValidationError('the multipart body has no "file" part', { field: 'file' }));
      written.then(() => resolve({ fields, filename, rawFormat: null, gzipHint: false }), fail);
    });
    req.on('error', fail);
    req.pipe(bb);
  });
}

function formatOf(explicit: string | undefined, filename: string | null, raw: UploadFormat | null): UploadFormat {
  if (explicit !== undefined) {
    if (explicit === 'csv' || explicit === 'jsonl') return explicit;
    throw new ValidationError(`format must be "csv" or "jsonl", got "${explicit}"`, { field: 'format' });
  }
  if (raw) return raw;
  try {
    return fileFormatOf(filename ?? '');
  } catch (e) {
    throw new ValidationError(
      'cannot tell the input format: name the file .csv, .jsonl or .ndjson (optionally .gz) or pass format=csv|jsonl',
      { field: 'format', cause: e },
    );
  }
}

/** Opened synchronously, so the file exists before any failure and the caller's clean-up always finds it. */
function createFile(file: string): fs.WriteStream {
  return fs.createWriteStream(file, { fd: fs.openSync(file, 'w') });
}

function startsWithGzipMagic(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

const tooLarge = (max: number) =>
  new PayloadTooLargeError(`the upload exceeds the ${max}-byte limit (jobs.maxUploadBytes)`, { field: 'body' });

/** Fails the pipeline as soon as more than `max` bytes have passed, so an oversized body is never written whole. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) return done(tooLarge(this.max));
    done(null, chunk);
  }
}
