import * as tf from "@tensorflow/tfjs";
import { requireArg } from "../core/errors.ts";

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.99. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Decoupled weight decay (AdamW) applied to 2-D parameters only; default 0. */
  weightDecay?: number;
}

/** Saved optimizer state: the step count and both moments per parameter (float32, parameter order). */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * Adam with bias correction and optional decoupled weight decay (AdamW;
 * Kingma & Ba 2015, Alg. 1; Loshchilov & Hutter 2019), taking the learning rate
 * per step so a schedule can drive it. Its moments can be exported and
 * restored, so a resumed run continues exactly.
 *
 * Owns its moment tensors: call {@link Adam.dispose} when done.
 */
export class Adam {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private m: tf.Tensor[];
  private v: tf.Tensor[];
  /** Updates applied so far. */
  step = 0;

  constructor(
    private readonly params: readonly tf.Variable[],
    options: AdamOptions = {},
  ) {
    [this.beta1, this.beta2, this.epsilon, this.weightDecay] = [options.beta1 ?? 0.9, options.beta2 ?? 0.99, options.epsilon ?? 1e-8, options.weightDecay ?? 0];
    requireArg("Adam", this.beta1 >= 0 && this.beta1 < 1 && this.beta2 >= 0 && this.beta2 < 1 && this.epsilon > 0 && this.weightDecay >= 0, "betas in [0, 1), epsilon > 0, weightDecay ≥ 0", options);
    this.m = params.map((p) => tf.zerosLike(p));
    this.v = params.map((p) => tf.zerosLike(p));
  }

  /**
   * Apply one update p ← p − lr·(m̂/(√v̂ + ε) + λ·p).
   *
   * @param grads - one gradient per parameter, same order and shapes (not disposed here)
   */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    requireArg("Adam.apply", grads.length === this.params.length, `${this.params.length} gradients`, grads.length);
    this.step++;
    const [b1, b2] = [this.beta1, this.beta2];
    const [c1, c2] = [1 / (1 - b1 ** this.step), 1 / (1 - b2 ** this.step)];
    const next = tf.tidy(() =>
      this.params.map((p, i) => {
        const g = grads[i] as tf.Tensor;
        const m = tf.add(tf.mul(this.m[i] as tf.Tensor, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i] as tf.Tensor, b2), tf.mul(tf.mul(g, g), 1 - b2));
        let update = tf.div(tf.mul(m, c1), tf.add(tf.sqrt(tf.mul(v, c2)), this.epsilon));
        if (this.weightDecay > 0 && p.rank === 2) update = tf.add(update, tf.mul(p, this.weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
        return [m, v] as [tf.Tensor, tf.Tensor];
      }),
    );
    tf.dispose([...this.m, ...this.v]);
    this.m = next.map((x) => x[0]);
    this.v = next.map((x) => x[1]);
  }

  /** A copy of the state (step and moments). */
  getState(): AdamState {
    return { step: this.step, m: this.m.map((t) => Float32Array.from(t.dataSync())), v: this.v.map((t) => Float32Array.from(t.dataSync())) };
  }

  /**
   * Restore a state saved by {@link getState}.
   *
   * @throws InvalidArgumentError when the moment count or sizes do not match the parameters
   */
  setState(state: AdamState): void {
    const ok = state.m.length === this.params.length && state.v.length === this.params.length && this.params.every((p, i) => state.m[i]!.length === p.size && state.v[i]!.length === p.size);
    requireArg("Adam.setState", ok && Number.isInteger(state.step) && state.step >= 0, "moments matching the parameters' sizes", state.m.map((a) => a.length));
    tf.dispose([...this.m, ...this.v]);
    this.m = this.params.map((p, i) => tf.tensor(state.m[i] as Float32Array, p.shape));
    this.v = this.params.map((p, i) => tf.tensor(state.v[i] as Float32Array, p.shape));
    this.step = state.step;
  }

  /** Free the moment tensors. */
  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
