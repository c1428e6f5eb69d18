/**
 * Small dense linear algebra on row-major `Float64Array` p×p matrices, for the
 * normal equations of least-squares fits (p is the number of parameters, ≤ ~10).
 */

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix.
 *
 * @param a - [p, p] row-major; only the lower triangle is read
 * @param p - the dimension
 * @returns L ([p, p], lower triangular), or `undefined` when A is not positive definite
 * @example
 * choleskyFactor(Float64Array.of(4, 2, 2, 3), 2) // L = [[2, 0], [1, √2]]
 */
export function choleskyFactor(a: Float64Array, p: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * p + k] as number) ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return undefined;
    const ljj = Math.sqrt(d);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * p + k] as number) * (l[j * p + k] as number);
      l[i * p + j] = s / ljj;
    }
  }
  return l;
}

/**
 * Solve L·Lᵀ·x = b given the Cholesky factor L.
 *
 * @param l - [p, p] from {@link choleskyFactor}
 * @param b - [p] right-hand side (not modified)
 * @returns x, [p]
 */
export function choleskySolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * p + k] as number) * (z[k] as number);
    z[i] = s / (l[i * p + i] as number);
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < p; k++) s -= (l[k * p + i] as number) * (z[k] as number);
    z[i] = s / (l[i * p + i] as number);
  }
  return z;
}

/**
 * Inverse of a symmetric positive-definite matrix via its Cholesky factor.
 *
 * @returns A⁻¹ ([p, p]), or `undefined` when A is not positive definite
 */
export function invertSpd(a: Float64Array, p: number): Float64Array | undefined {
  const l = choleskyFactor(a, p);
  if (l === undefined) return undefined;
  const inv = new Float64Array(p * p);
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, p, e);
    for (let i = 0; i < p; i++) inv[i * p + j] = col[i] as number;
  }
  return inv;
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
 *
 * @param a - [p, p] symmetric, row-major (not modified)
 * @returns eigenvalues [p] and eigenvectors as the columns of a [p, p] row-major matrix
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.5 (the classical Jacobi method)
 */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  const at = (i: number, j: number) => m[i * p + j] as number;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += at(i, j) ** 2;
    if (off === 0 || !Number.isFinite(off)) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = at(i, j);
        if (aij === 0) continue;
        const theta = (at(j, j) - at(i, i)) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mki = at(k, i);
          const mkj = at(k, j);
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const mik = at(i, k);
          const mjk = at(j, k);
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i] as number;
          const vkj = v[k * p + j] as number;
          v[k * p + i] = c * vki - s * vkj;
          v[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = at(i, i);
  return { values, vectors: v };
}
