#!/usr/bin/python3
"""Reference trajectories of scikit-learn's multiplicative-update NMF (solver='mu') for tests/nmf.test.ts.

Run with the Debian python that has scikit-learn:  /usr/bin/python3 tools/sklearn_nmf_fixtures.py
(the pyenv python3 on PATH has no sklearn). Writes tests/fixtures/sklearn-nmf.json: for every case an
MM Lab experiment config (schema version 1) and the series _beta_divergence(V, W, H, beta) at the
initial point and after each of STEPS iterations, computed in float64; and `divergences`: single
values of _beta_divergence on small matrices with zeros, entries ≤ EPSILON and WH = 0.

Each iteration is exactly the loop body of sklearn.decomposition._nmf._fit_multiplicative_update with
l1 = l2 = 0 and update_H=True, calling sklearn's own _multiplicative_update_w / _multiplicative_update_h:
update W with the old H; (beta < 1) zero W entries below float64 eps; update H with the new W;
(beta <= 1) zero H entries below float64 eps. The final (W, H) is checked against
_fit_multiplicative_update(max_iter=STEPS, tol=0) itself.

'nmf-mm' cases use sklearn's exponent gamma(beta) (Févotte & Idier's MM). 'nmf-mu' cases call the very
same sklearn functions with gamma = 1: the heuristic multiplicative update (differs for beta < 1, > 2).

V, W0 and H0 are rounded to float32 first so that tfjs (float32) starts from exactly the same numbers.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.decomposition import _nmf

STEPS = 200
SEED = 20240614
M, N, K = 12, 10, 3

# (name, beta, algorithm id, V with some zeros?)
CASES = [
    ("IS beta=0 mm", 0.0, "nmf-mm", False),
    ("beta=0.5 mm", 0.5, "nmf-mm", False),
    ("KL beta=1 mm", 1.0, "nmf-mm", False),
    ("beta=1.5 mm", 1.5, "nmf-mm", False),
    ("Frobenius beta=2 mm", 2.0, "nmf-mm", False),
    ("beta=3 mm", 3.0, "nmf-mm", False),
    ("beta=-0.5 mm", -0.5, "nmf-mm", False),
    ("KL beta=1 mm, V with zeros", 1.0, "nmf-mm", True),
    ("Frobenius beta=2 mm, V with zeros", 2.0, "nmf-mm", True),
    ("beta=3 mm, V with zeros", 3.0, "nmf-mm", True),
    ("IS beta=0 heuristic", 0.0, "nmf-mu", False),
    ("beta=0.5 heuristic", 0.5, "nmf-mu", False),
    ("beta=3 heuristic", 3.0, "nmf-mu", False),
]


def f32(a):
    """Round to float32, keep float64 (so both sides start from the same numbers)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def gamma_mm(beta):
    if beta < 1:
        return 1.0 / (2.0 - beta)
    if beta > 2:
        return 1.0 / (beta - 1.0)
    return 1.0


def make_V(rng, zeros):
    """A strictly positive 12×10 matrix: rank-5 gamma factors plus positive noise (not rank 3)."""
    Wt = rng.gamma(2.0, 0.5, size=(M, 5))
    Ht = rng.gamma(2.0, 0.5, size=(5, N))
    V = Wt @ Ht * rng.uniform(0.7, 1.3, size=(M, N)) + rng.uniform(0.05, 0.3, size=(M, N))
    if zeros:
        V[rng.uniform(size=(M, N)) < 0.15] = 0.0
    return f32(V)


def random_init(V, rng):
    """scikit-learn's init='random': avg = sqrt(V.mean() / K), H then W = avg·|N(0, 1)|."""
    avg = np.sqrt(V.mean() / K)
    H = np.abs(avg * rng.standard_normal(size=(K, N)))
    W = np.abs(avg * rng.standard_normal(size=(M, K)))
    return f32(W), f32(H)


def run_case(V, W0, H0, beta, gamma):
    W, H = W0.copy(), H0.copy()
    losses = [float(_nmf._beta_divergence(V, W, H, beta))]
    for _ in range(STEPS):
        W, _, _, _ = _nmf._multiplicative_update_w(V, W, H, beta, 0, 0, gamma)
        if beta < 1:
            W[W < np.finfo(np.float64).eps] = 0.0
        H = _nmf._multiplicative_update_h(V, W, H, beta, 0, 0, gamma)
        if beta <= 1:
            H[H < np.finfo(np.float64).eps] = 0.0
        losses.append(float(_nmf._beta_divergence(V, W, H, beta)))
    return W, H, losses


def divergence_cases(rng):
    """sklearn's _beta_divergence on small matrices, quirks included: V entries 0 and ≤ EPSILON (left
    out of the V-dependent terms), and a zero row of W (WH = 0 → EPSILON where V > EPSILON)."""
    m, n, k = 4, 3, 2
    V = f32(rng.uniform(0.1, 3.0, size=(m, n)))
    W = f32(rng.uniform(0.1, 2.0, size=(m, k)))
    H = f32(rng.uniform(0.1, 2.0, size=(k, n)))
    Vz = V.copy()
    Vz[0, 1] = 0.0
    Vz[2, 0] = 0.0
    Vz[3, 2] = f32(1e-8)  # ≤ EPSILON: counted as a zero
    Wz = W.copy()
    Wz[1, :] = 0.0
    out = []
    for label, VV, WW, betas in [
        ("positive", V, W, [-0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0]),
        ("V with zeros and a 1e-8 entry", Vz, W, [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]),
        ("W with a zero row", V, Wz, [0.0, 0.5, 1.0, 1.5, 2.0, 3.0]),
    ]:
        for beta in betas:
            out.append({"name": f"{label}, beta={beta}", "beta": beta, "V": VV.tolist(), "W": WW.tolist(),
                        "H": H.tolist(), "value": float(_nmf._beta_divergence(VV, WW, H, beta))})
    return out


def main():
    assert sklearn.__version__ == "1.2.1", sklearn.__version__
    rng = np.random.default_rng(SEED)
    divergences = divergence_cases(np.random.default_rng(SEED + 1))
    cases = []
    for name, beta, alg, zeros in CASES:
        V = make_V(rng, zeros)
        W0, H0 = random_init(V, rng)
        gamma = gamma_mm(beta) if alg == "nmf-mm" else 1.0
        W, H, losses = run_case(V, W0, H0, beta, gamma)
        if alg == "nmf-mm":  # our loop is sklearn's loop
            Wr, Hr, n_iter = _nmf._fit_multiplicative_update(V, W0.copy(), H0.copy(), beta, max_iter=STEPS, tol=0)
            assert n_iter == STEPS and np.array_equal(W, Wr) and np.array_equal(H, Hr), name
        increases = int(np.sum(np.diff(losses) > 0))
        print(f"{name:36s} f0={losses[0]:.6g} f{STEPS}={losses[-1]:.6g} increases={increases}", file=sys.stderr)
        cases.append({
            "name": name,
            "sklearn": f"_multiplicative_update_w/_h(beta_loss={beta!r}, gamma={gamma!r}), l1=l2=0",
            "gamma": gamma,
            "config": {
                "version": 1,
                "problem": {
                    "kind": "nmf",
                    "beta": beta,
                    "rank": K,
                    "data": {"kind": "explicit", "V": V.tolist()},
                    "init": {"W0": W0.tolist(), "H0": H0.tolist()},
                },
                "runs": [{"algorithm": alg}],
                "steps": STEPS,
            },
            "losses": losses,
        })
    out = {
        "generator": "tools/sklearn_nmf_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "dtype": "float64",
        "cases": cases,
        "divergences": divergences,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "sklearn-nmf.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
