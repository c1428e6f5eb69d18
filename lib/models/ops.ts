import * as tf from "@tensorflow/tfjs";

/** Layer-norm epsilon, shared by the training forward pass and the decoder. */
export const LAYER_NORM_EPS = 1e-5;
/** GELU's sigmoid approximation x·σ(1.702·x) (Hendrycks & Gimpel 2016, §2). */
export const GELU_SIGMOID_SCALE = 1.702;

type GradFn = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
type Save = (tensors: tf.Tensor[]) => void;

/**
 * 2-D matrix product a·b whose gradient uses explicit `tf.transpose` and
 * plain (non-transposed) 2-D matMuls, the fast path of the wasm backend
 * (STACK.md: tfjs's own gradient passes transpose flags, 10–30× slower there).
 *
 * @param a - [M, K]
 * @param b - [K, N]
 * @returns [M, N]; the caller disposes it
 */
export const matMul2d: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: Save) => {
  save([a, b]);
  const gradFunc: GradFn = (dy, [sa, sb]) => [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb as tf.Tensor2D)), tf.matMul(tf.transpose(sa as tf.Tensor2D), dy as tf.Tensor2D)];
  return { value: tf.matMul(a, b), gradFunc };
}) as never) as never;

/**
 * Layer normalisation over the last axis with a hand-written gradient
 * (dx = inv·(dy·g − mean(dy·g) − x̂·mean(dy·g·x̂))), avoiding `pow` in the
 * backward pass of `rsqrt`.
 *
 * @param x - [N, D]
 * @param g - [D] gain
 * @param b - [D] bias
 * @returns [N, D]; the caller disposes it
 */
export const layerNorm: (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor2D = tf.customGrad(((x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, save: Save) => {
  const xc = tf.sub(x, tf.mean(x, -1, true));
  const inv = tf.rsqrt(tf.add(tf.mean(tf.mul(xc, xc), -1, true), LAYER_NORM_EPS));
  const xhat = tf.mul(xc, inv);
  save([xhat, inv, g]);
  const gradFunc: GradFn = (dy, [sxhat, sinv, sg]) => {
    const dyg = tf.mul(dy, sg as tf.Tensor);
    const proj = tf.mean(tf.mul(dyg, sxhat as tf.Tensor), -1, true);
    const dx = tf.mul(sinv as tf.Tensor, tf.sub(tf.sub(dyg, tf.mean(dyg, -1, true)), tf.mul(sxhat as tf.Tensor, proj)));
    return [dx, tf.sum(tf.mul(dy, sxhat as tf.Tensor), 0), tf.sum(dy, 0)];
  };
  return { value: tf.add(tf.mul(xhat, g), b), gradFunc };
}) as never) as never;

/**
 * GELU in its sigmoid form x·σ(1.702·x): three cheap elementwise ops.
 *
 * @returns a tensor shaped like `x`; the caller disposes it
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(tf.mul(x, GELU_SIGMOID_SCALE)));
}
