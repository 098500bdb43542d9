// Options of one training run, validated once: data specs, mode, head, loop, calibration and bands.
import { z } from 'zod';
import { bandTargetsSchema } from '../../src/score/bands';

export const trainOptionsSchema = z.object({
  out: z.string().min(1),
  overwrite: z.boolean().default(false),
  resume: z.boolean().default(false),
  /** Also write onnx/model_quantized.onnx (int8) when it passes the quality gate; `--no-quantize` turns it off. */
  quantize: z.boolean().default(true),
  /** The int8 quality gate: largest validation ROC-AUC loss against fp32 (`--max-auc-loss`; default 0.005). */
  maxRocAucLoss: z.number().min(0).max(1).optional(),
  /** auto: few-shot below SMALL_SET_TRAIN_ROWS training rows, else head (few-shot-phase.ts, resolveMode). */
  mode: z.enum(['auto', 'head', 'full', 'few-shot']).default('auto'),
  /** Few-shot mode's label descriptions, JSON {positive: [...], negative: [...]}; default DEFAULT_FEW_SHOT_PROMPTS. */
  fewShotPrompts: z.string().min(1).optional(),
  /** 'use-lite' (bundled) or a local Hugging Face BERT-family folder (config.json, tokenizer.json, model.safetensors). */
  encoder: z.string().min(1).default('use-lite'),
  /** BERT-family sentence vector: mean over tokens, the [CLS] state, or the checkpoint's tanh pooler. */
  pooling: z.enum(['mean', 'cls', 'pooler']).optional(),
  seed: z.number().int().default(42),
  validFraction: z.number().gt(0).lt(0.9).default(0.2),
  maxTokens: z.number().int().min(8).max(1024).default(256),
  cacheDir: z.string().default('.cache/churnscope'),
  backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  /** Threads computing full mode's gradients (data-parallel); auto: resolveTrainThreads (training/parallel). */
  threads: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
  head: z
    .object({
      /** auto: bags only with ≥ SMALL_SET_TRAIN_ROWS training rows (cv:few-shot: below that they cost ROC-AUC). */
      bags: z.enum(['auto', 'on', 'off']).default('auto'),
      unigrams: z.boolean().default(true),
      bigramBuckets: z
        .number()
        .int()
        .min(0)
        .max(1 << 22)
        .default(1 << 18),
    })
    .prefault({}),
  freezeEmbeddings: z.boolean().default(false),
  freezeLowerLayer: z.boolean().default(false),
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(4096).optional(),
  learningRate: z.number().positive().optional(),
  weightDecay: z.number().min(0).default(0.01),
  warmupFraction: z.number().min(0).max(0.5).default(0.1),
  clipNorm: z.number().min(0).default(1),
  imbalance: z.enum(['weight', 'sample', 'none']).default('weight'),
  patience: z.number().int().min(1).default(3),
  calibration: z.enum(['platt', 'isotonic', 'none']).default('platt'),
  bands: bandTargetsSchema.prefault({}),
});

export type TrainOptions = z.infer<typeof trainOptionsSchema>;

/**
 * Below this many training rows `--bags auto` trains the embedding-only head. Measured with `npm run cv:few-shot`
 * (5 balanced draws each): embedding only vs embedding + bags 0.736 vs 0.706 at n = 64, 0.807 vs 0.803 at 256,
 * 0.822 vs 0.830 at 512; the crossing lies between 256 and 512.
 */
export const SMALL_SET_TRAIN_ROWS = 400;

/** Mode-dependent loop defaults: the head converges in many cheap epochs, full fine-tuning in few expensive ones. */
export function loopDefaults(mode: 'head' | 'full') {
  return mode === 'head'
    ? { epochs: 40, batchSize: 64, learningRate: 0.01 }
    : { epochs: 3, batchSize: 16, learningRate: 5e-5 };
}
