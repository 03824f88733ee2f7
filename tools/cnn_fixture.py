#!/usr/bin/python3
"""Reference for tests/cnn-torch.test.ts: PyTorch 1.13 (CPU, float32) on the same CNN as MM Lab.

Run from the repository root:  /usr/bin/python3 tools/cnn_fixture.py
Writes tests/fixtures/cnn-torch.json.

MM Lab's own code gives the inputs (so torch starts from exactly our numbers): the script runs a short
TypeScript snippet with `npx tsx` that parses CONFIG, loads the digits images, and prints the first
ROWS training images with their labels and θ₀ (problems/cnn-spec.ts cnnTheta0, float32). Torch then
builds the network from θ₀ — Conv2d weights are K (HWIO) permuted to [out, in, kh, kw], the NCHW
feature maps are permuted to NHWC before flattening (MM Lab's order), Linear weights are W transposed —
and records on those rows: the mean softmax cross-entropy, its gradient (back in MM Lab's layout),
ADAM_STEPS steps of torch.optim.Adam (θ and the loss after each), and the network map's Jacobian products
at θ₀ for Gauss–Newton MM (tests/cnn-jacobian.test.ts): with a seeded tangent v (θ's layout) and
cotangent u (rows×10), torch.autograd.functional.jvp / vjp in float64 — the logits c(θ₀), J·v, Jᵀu.
"""
import json
import os
import subprocess

import numpy as np
import torch

ROWS = 24
ADAM = dict(lr=0.01)
ADAM_STEPS = 3
CONFIG = {
    "version": 1,
    "problem": {
        "kind": "mlp",
        "data": {"kind": "dataset", "name": "digits", "n": 200, "testRatio": 0.2},
        "conv": [{"filters": 4, "kernel": 3, "pool": 1}, {"filters": 6, "kernel": 2, "pool": 2}],
        "hidden": [12],
        "activation": "relu",
        "loss": "softmax_ce",
        "batchSize": ROWS,
    },
    "seeds": {"data": 4, "init": 9, "batch": 3},
    "runs": [{"algorithm": "adam", "hyper": ADAM}],
    "steps": ADAM_STEPS,
}

SNIPPET = """
import { loadExperiment } from '../src/core/config';
import { loadImageDataNode } from '../src/cli/data-files';
import { mlpData } from '../src/core/problems/mlp-data';
import { cnnShapeOf } from '../src/core/problems/cnn-config';
import { cnnLayout, cnnTheta0 } from '../src/core/problems/cnn-spec';
const config = loadExperiment(JSON.parse(process.env.CNN_CONFIG));
await loadImageDataNode(config.problem);
const shape = cnnShapeOf(config.problem);
const data = mlpData(config.problem, config.seeds.data);
const rows = Number(process.env.CNN_ROWS);
console.log(JSON.stringify({
  X: data.X.slice(0, rows).map((r) => r.map(Math.fround)), y: data.y.slice(0, rows),
  theta0: Array.from(cnnTheta0(shape, config.seeds.init)), tensors: cnnLayout(shape).tensors, shape,
}));
"""


def ours():
    snippet = os.path.join("tools", ".cnn_fixture_snippet.mts")
    with open(snippet, "w") as f:
        f.write(SNIPPET)
    try:
        env = dict(os.environ, CNN_CONFIG=json.dumps(CONFIG), CNN_ROWS=str(ROWS))
        out = subprocess.run(["npx", "tsx", snippet], env=env, check=True, capture_output=True, text=True).stdout
    finally:
        os.remove(snippet)
    return json.loads(out.strip().splitlines()[-1])


def to_torch(theta, tensors):
    """θ (MM Lab layout) → torch parameters: K (HWIO) → [out, in, kh, kw], W [in, out] → [out, in]."""
    ps = []
    for t in tensors:
        a = torch.tensor(np.asarray(theta[t["offset"]:t["offset"] + t["size"]], dtype=np.float32).reshape(t["shape"]))
        if len(t["shape"]) == 4:
            a = a.permute(3, 2, 0, 1)
        elif len(t["shape"]) == 2:
            a = a.t()
        ps.append(a.contiguous().requires_grad_(True))
    return ps


def to_ours(ps, tensors):
    out = []
    for p, t in zip(ps, tensors):
        a = p.detach()
        if len(t["shape"]) == 4:
            a = a.permute(2, 3, 1, 0)
        elif len(t["shape"]) == 2:
            a = a.t()
        out.extend(a.contiguous().reshape(-1).tolist())
    return out


def forward(ps, X, shape):
    convs = shape["convs"]
    a = X
    for b, c in enumerate(convs):
        a = torch.relu(torch.nn.functional.conv2d(a, ps[2 * b], ps[2 * b + 1]))
        if c["pool"] > 1:
            a = torch.nn.functional.max_pool2d(a, c["pool"])
    h = a.permute(0, 2, 3, 1).reshape(X.shape[0], -1)  # NHWC flattening, as MM Lab
    nc = len(convs)
    L = len(shape["dense"]) - 1
    for l in range(L):
        h = torch.nn.functional.linear(h, ps[2 * (nc + l)], ps[2 * (nc + l) + 1])
        if l < L - 1:
            h = torch.relu(h)
    return h


def jacobian(o, X, shape, tensors):
    """c(θ₀), J·v and Jᵀu in float64 (torch.autograd.functional) for seeded v and u."""
    rng = np.random.default_rng(12)
    P = len(o["theta0"])
    v = rng.standard_normal(P).astype(np.float32).tolist()
    u = rng.standard_normal((ROWS, shape["dense"][-1])).astype(np.float32)
    ps = tuple(p.detach().double() for p in to_torch(o["theta0"], tensors))
    vs = tuple(p.detach().double() for p in to_torch(v, tensors))
    X64 = X.double()

    def net(*q):
        return forward(list(q), X64, shape)

    outputs, jv = torch.autograd.functional.jvp(net, ps, vs)
    _, vj = torch.autograd.functional.vjp(net, ps, torch.tensor(u, dtype=torch.float64))
    return {
        "v": v,
        "u": u.reshape(-1).tolist(),
        "outputs": outputs.reshape(-1).tolist(),
        "jvp": jv.reshape(-1).tolist(),
        "vjp": to_ours(vj, tensors),
    }


def main():
    torch.set_num_threads(1)
    o = ours()
    shape, tensors = o["shape"], o["tensors"]
    X = torch.tensor(np.asarray(o["X"], dtype=np.float32)).reshape(ROWS, 1, shape["rows"], shape["cols"])
    y = torch.tensor(o["y"], dtype=torch.int64)
    loss_fn = torch.nn.CrossEntropyLoss()
    ps = to_torch(o["theta0"], tensors)
    loss = loss_fn(forward(ps, X, shape), y)
    loss.backward()
    grad = to_ours([p.grad for p in ps], tensors)
    for p in ps:
        p.grad = None
    opt = torch.optim.Adam(ps, **ADAM)
    thetas, losses = [], []
    for _ in range(ADAM_STEPS):
        opt.zero_grad()
        loss_fn(forward(ps, X, shape), y).backward()
        opt.step()
        thetas.append(to_ours(ps, tensors))
        with torch.no_grad():
            losses.append(float(loss_fn(forward(ps, X, shape), y)))
    out = {
        "about": "tools/cnn_fixture.py: PyTorch %s CPU float32, the first %d training rows as one batch" % (torch.__version__, ROWS),
        "config": CONFIG,
        "rows": ROWS,
        "theta0": o["theta0"],
        "loss": float(loss),
        "grad": grad,
        "adam": {"hyper": ADAM, "theta": thetas, "loss": losses},
        "jacobian": jacobian(o, X, shape, tensors),
    }
    with open(os.path.join("tests", "fixtures", "cnn-torch.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")
    print("wrote tests/fixtures/cnn-torch.json: loss %.6f, %d parameters" % (float(loss), len(grad)))


if __name__ == "__main__":
    main()
