#!/usr/bin/python3
"""scikit-learn's `mu` NMF with an l1 penalty on H, for tests/nmf-penalty.test.ts.

Run with the Debian python that has scikit-learn:  /usr/bin/python3 tools/sklearn_nmf_penalty_fixture.py
(the pyenv python3 on PATH has no sklearn). Writes tests/fixtures/sklearn-nmf-penalty.json.

The mapping (docs/ARCHITECTURE.md, NMF): NMF(solver='mu', beta_loss=beta, alpha_W=0, alpha_H=a,
l1_ratio=1, init='custom') on X = V (m×n, n_samples = m) has l1_reg_H = m·a (sklearn 1.2
_compute_regularization) added to H's update denominator, and minimises
_beta_divergence(V, W, H) + m·a·Σ H — MM Lab's problem.penalty = {l1: m·a, normalizeW: 'none'} (sklearn
never renormalises W). Each iteration is sklearn's loop body (_multiplicative_update_w with l1 = 0, the
float64-eps zeroing for beta < 1, _multiplicative_update_h with l1_reg_H, zeroing for beta <= 1); the
final (W, H) is checked against the NMF estimator itself, which checks the mapping.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import NMF, _nmf

STEPS = 100
SEED = 20261207
M, N, K = 10, 8, 3
ALPHA_H = 0.05
BETAS = [0.5, 1.0, 1.5, 2.0, 3.0]


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def gamma_mm(beta):
    return 1.0 / (2.0 - beta) if beta < 1 else 1.0 / (beta - 1.0) if beta > 2 else 1.0


def main():
    assert sklearn.__version__ == "1.2.1", sklearn.__version__
    rng = np.random.default_rng(SEED)
    l1 = M * ALPHA_H
    cases = []
    for beta in BETAS:
        Wt = rng.gamma(1.0, 1.0, size=(M, 4))
        Ht = rng.gamma(1.0, 1.0, size=(4, N))
        V = f32(Wt @ Ht * rng.uniform(0.8, 1.2, size=(M, N)) + 0.05)
        avg = np.sqrt(V.mean() / K)
        H0 = f32(np.abs(avg * rng.standard_normal(size=(K, N))))
        W0 = f32(np.abs(avg * rng.standard_normal(size=(M, K))))
        gamma = gamma_mm(beta)
        W, H = W0.copy(), H0.copy()
        obj = lambda W, H: float(_nmf._beta_divergence(V, W, H, beta)) + l1 * float(H.sum())
        losses = [obj(W, H)]
        for _ in range(STEPS):
            W, _, _, _ = _nmf._multiplicative_update_w(V, W, H, beta, 0, 0, gamma)
            if beta < 1:
                W[W < np.finfo(np.float64).eps] = 0.0
            H = _nmf._multiplicative_update_h(V, W, H, beta, l1, 0, gamma)
            if beta <= 1:
                H[H < np.finfo(np.float64).eps] = 0.0
            losses.append(obj(W, H))
        est = NMF(n_components=K, init="custom", solver="mu", beta_loss=beta, alpha_W=0.0, alpha_H=ALPHA_H,
                  l1_ratio=1.0, max_iter=STEPS, tol=0.0)
        We = est.fit_transform(V, W=W0.copy(), H=H0.copy())
        assert np.allclose(We, W, rtol=1e-12, atol=0) and np.allclose(est.components_, H, rtol=1e-12, atol=0), beta
        print(f"beta={beta}: f0={losses[0]:.6g} f{STEPS}={losses[-1]:.6g}", file=sys.stderr)
        cases.append({
            "beta": beta,
            "sklearn": f"NMF(solver='mu', beta_loss={beta}, alpha_W=0, alpha_H={ALPHA_H}, l1_ratio=1)",
            "config": {
                "version": 1,
                "problem": {"kind": "nmf", "beta": beta, "rank": K, "data": {"kind": "explicit", "V": V.tolist()},
                            "init": {"W0": W0.tolist(), "H0": H0.tolist()},
                            "penalty": {"l1": l1, "normalizeW": "none"}},
                "runs": [{"algorithm": "nmf-mm"}],
                "steps": STEPS,
            },
            "losses": losses,
            "W": W.tolist(),
            "H": H.tolist(),
        })
    out = {"generator": "tools/sklearn_nmf_penalty_fixture.py", "sklearn": sklearn.__version__, "numpy": np.__version__,
           "alpha_H": ALPHA_H, "l1": l1, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "sklearn-nmf-penalty.json")
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
