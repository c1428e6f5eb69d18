"""Vectorised numpy pass@k (coverage) and best-of-N@k on the data the TypeScript benchmark writes (best-of-N ignores
ties: the simulated scores are continuous).
Reference implementation for timing only; prints {"coverageMs", "bonMs100"} as JSON."""
import json
import sys
import time

import numpy as np


def coverage(c, n, ks):
    # pass@k = 1 - prod_{i=n-c+1}^{n} (1 - k/i), vectorised over problems with a cumulative log-sum per k.
    out = []
    i = np.arange(1, n + 1, dtype=np.float64)
    for k in ks:
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log1p(-k / i[::-1])  # i = n, n-1, ..., 1 (terms past n - k are never used)
        prefix = np.concatenate([[0.0], np.cumsum(logs)])
        cc = np.minimum(c, n - k)
        fail = np.where(c > n - k, 0.0, np.exp(prefix[cc]))
        out.append(float(np.mean(1.0 - fail)))
    return out


def best_of_n(scores, correct, ks):
    order = np.argsort(-scores, kind="stable")
    y = correct[order].astype(np.float64)
    n = len(y)
    res = []
    for k in ks:
        i = np.arange(n)
        # log C(n-i-1, k-1) - log C(n, k) via lgamma, vectorised
        from scipy.special import gammaln  # noqa: WPS433 (numpy has no lgamma)
        valid = n - i - 1 >= k - 1
        logw = np.where(valid, gammaln(n - i) - gammaln(k) - gammaln(np.maximum(n - i - k + 1, 1)) - (gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)), -np.inf)
        res.append(float(np.sum(y * np.exp(logw))))
    return res


def main():
    data = json.load(open(sys.argv[1]))
    c = np.array(data["c"], dtype=np.int64)
    ks = data["ks"]
    # the same repetitions as the TypeScript side: 5 untimed, then the median of 41
    for _ in range(5):
        coverage(c, data["n"], ks)
    t = []
    for _ in range(41):
        t0 = time.perf_counter()
        coverage(c, data["n"], ks)
        t.append((time.perf_counter() - t0) * 1000)
    scores = [np.array(s) for s in data["scores"]]
    correct = [np.array(x) for x in data["correct"]]
    best_of_n(scores[0], correct[0], ks)  # untimed: the first call imports scipy
    b = []
    for _ in range(5):
        t0 = time.perf_counter()
        for s, y in zip(scores, correct):
            best_of_n(s, y, ks)
        b.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"coverageMs": float(np.median(t)), "bonMs100": float(np.median(b))}))


if __name__ == "__main__":
    main()
