// What a batch job was asked to do, as stored in its row: validated on the way in and again when a restarted server reads it back.
import { z } from 'zod';
import { DataFileError } from '../errors';
import { DEFAULT_TEXT_SOURCE, textSourceSchema } from '../text/text-source';

export const jobFormatSchema = z.enum(['csv', 'jsonl']);

/** Options a client may set on POST /v1/jobs (query string, form fields or JSON body). */
export const jobOptionsSchema = z.strictObject({
  textCol: z.string().min(1).max(200).default('text'),
  idCol: z.string().min(1).max(200).optional(),
  /** Result file format; default: the input's. */
  output: jobFormatSchema.optional(),
  /** Also store each scored text (and its embedding) for the themes engine and customer histories. */
  storeTexts: z.stringbool().or(z.boolean()).default(false),
  /** Source recorded for stored texts. */
  source: textSourceSchema.default(DEFAULT_TEXT_SOURCE),
  /** Column naming the customer of each stored text. */
  customerCol: z.string().min(1).max(200).optional(),
  /** Column holding each text's ISO-8601 time (stored texts are dated by it, so theme trends follow the data, not the upload). */
  timeCol: z.string().min(1).max(200).optional(),
});
export type JobOptions = z.infer<typeof jobOptionsSchema>;

export const jobSpecSchema = z.object({
  ...jobOptionsSchema.shape,
  output: jobFormatSchema,
  format: jobFormatSchema,
  /** Absolute path of the input (the job folder's copy of an upload, or an allowed server-side file). */
  inputPath: z.string().min(1),
  /** The client's name for the upload, if it gave one. */
  filename: z.string().nullable(),
  bytes: z.number().int().min(0),
  /** Kept in the database in chunks and worked by `churnscope worker` processes (PostgreSQL); absent: in-process. */
  queued: z.boolean().optional(),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;

export function parseJobSpec(jobId: string, raw: unknown): JobSpec {
  const r = jobSpecSchema.safeParse(raw);
  if (!r.success)
    throw new DataFileError(
      `job ${jobId}: stored job description is invalid (${r.error.issues[0].message} at ${r.error.issues[0].path.join('.')})`,
    );
  return r.data;
}

/** Whether a stored job description is a queued (database) job, without failing on one that is invalid. */
export function isQueuedSpec(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as { queued?: unknown }).queued === true;
}
