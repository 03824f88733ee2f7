"""Reference throughput for `npm run bench`: scikit-learn's own `mu` update functions.

Reads {"V": [[...]] or {"shape": [m, n], "seed": s}, "W0", "H0", "beta": b, "seconds": 2.0} on stdin;
runs iterations exactly as sklearn's `_fit_multiplicative_update` does (W then H, l1 = l2 = 0) and
prints {"itersPerSec": ..., "iters": ..., "finalDivergence": ...}.
"""
import json
import sys
import time

import numpy as np
from sklearn.decomposition._nmf import _beta_divergence, _multiplicative_update_h, _multiplicative_update_w

job = json.load(sys.stdin)
V = np.asarray(job["V"], dtype=np.float64)
W = np.asarray(job["W0"], dtype=np.float64).copy()
H = np.asarray(job["H0"], dtype=np.float64).copy()
beta = float(job["beta"])
gamma = 1.0 / (2.0 - beta) if beta < 1 else (1.0 if beta <= 2 else 1.0 / (beta - 1.0))
H_sum, HHt, XHt = None, None, None


def iterate():
    global W, H, H_sum, HHt, XHt
    # sklearn 1.2: the update functions update W / H in place and return them.
    W, H_sum, HHt, XHt = _multiplicative_update_w(V, W, H, beta, 0, 0, gamma, H_sum, HHt, XHt, True)
    if beta < 1:
        W[W < np.finfo(np.float64).eps] = 0.0
    H = _multiplicative_update_h(V, W, H, beta, 0, 0, gamma)
    H_sum, HHt, XHt = None, None, None
    if beta <= 1:
        H[H < np.finfo(np.float64).eps] = 0.0


iterate()
iters, t0 = 0, time.perf_counter()
deadline = t0 + float(job.get("seconds", 2.0))
while time.perf_counter() < deadline:
    iterate()
    iters += 1
elapsed = time.perf_counter() - t0
print(json.dumps({"itersPerSec": iters / elapsed, "iters": iters, "finalDivergence": float(_beta_divergence(V, W, H, beta))}))
