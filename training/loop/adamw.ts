// AdamW for TF.js: Adam with a settable learning rate (for warm-up/decay) and decoupled weight decay.
import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  learningRate: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class AdamW extends tf.AdamOptimizer {
  private readonly decay: number;

  constructor(opts: AdamWOptions) {
    super(opts.learningRate, opts.beta1 ?? 0.9, opts.beta2 ?? 0.999, opts.epsilon ?? 1e-7);
    this.decay = opts.weightDecay;
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  /** One step: Adam on the gradients, then w ← w − lr·λ·w on the decayed variables (decoupled, as in Loshchilov & Hutter). */
  step(grads: tf.NamedTensorMap, decayed: readonly tf.Variable[]): void {
    this.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    if (this.decay <= 0) return;
    const factor = 1 - this.learningRate * this.decay;
    tf.tidy(() => {
      for (const v of decayed) v.assign(tf.mul(v, factor));
    });
  }
}

/** Linear warm-up to the peak rate, then linear decay to zero at the last step. */
export function warmupLinearDecay(step: number, totalSteps: number, warmupSteps: number, peak: number): number {
  if (warmupSteps > 0 && step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const rest = Math.max(1, totalSteps - warmupSteps);
  return Math.max(0, peak * (1 - (step - warmupSteps) / rest));
}

/** Scales gradients so their global L2 norm is at most maxNorm; returns the norm before clipping. */
export function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: number } {
  const names = Object.keys(grads);
  const normT = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))));
  const norm = normT.dataSync()[0];
  normT.dispose();
  if (!(maxNorm > 0) || norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / norm;
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) {
    clipped[n] = tf.mul(grads[n], scale);
    grads[n].dispose();
  }
  return { grads: clipped, norm };
}
