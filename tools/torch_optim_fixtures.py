#!/usr/bin/python3
"""Reference trajectories of torch.optim (PyTorch 1.13, single-tensor path) for tests/optimizers.test.ts.

Run with the Debian python that has torch:  /usr/bin/python3 tools/torch_optim_fixtures.py
Writes tests/fixtures/torch-optim.json: for every case an MM Lab experiment config (schema version 1)
and torch's loss trajectory f(θ₀), f(θ₁), …, f(θ_steps), computed in float64.

Problem: 64 seeded 2-D points with 0/1 labels, a 2-8-8-1 tanh MLP, mean BCEWithLogitsLoss, full batch.
Data and initial weights are rounded to float32 first so that tfjs (float32) starts from exactly the
same point. torch.nn.Linear stores W as [out, in]; MM Lab stores [in, out], so W is transposed on export.
"""
import json
import os
import sys

import torch

STEPS = 60
WINDOW = 50  # steps compared by tests/optimizers.test.ts
SEED = 20240613

CASES = [
    # (name, torch optimizer class name, MM Lab algorithm id, hyper-parameters in torch's names)
    ("sgd plain", "SGD", "sgd", dict(lr=0.5)),
    ("sgd momentum", "SGD", "sgd", dict(lr=0.1, momentum=0.9)),
    ("sgd momentum+dampening", "SGD", "sgd", dict(lr=0.2, momentum=0.9, dampening=0.5)),
    ("sgd nesterov", "SGD", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd weight_decay", "SGD", "sgd", dict(lr=0.5, weight_decay=0.01)),
    ("adam default", "Adam", "adam", dict(lr=0.02)),
    ("adam amsgrad", "Adam", "adam", dict(lr=0.02, amsgrad=True)),
    ("adam weight_decay", "Adam", "adam", dict(lr=0.02, betas=[0.8, 0.99], weight_decay=0.05)),
    # a large eps makes its placement visible: after the bias correction (Adam) / outside the sqrt (RMSprop)
    ("adam eps after bias correction", "Adam", "adam", dict(lr=0.02, eps=1e-3)),
    ("adamw default", "AdamW", "adamw", dict(lr=0.02)),
    ("adamw amsgrad", "AdamW", "adamw", dict(lr=0.03, amsgrad=True, weight_decay=0.1)),
    ("rmsprop default", "RMSprop", "rmsprop", dict(lr=0.01)),
    ("rmsprop momentum", "RMSprop", "rmsprop", dict(lr=0.005, momentum=0.9)),
    ("rmsprop centered", "RMSprop", "rmsprop", dict(lr=0.01, centered=True)),
    ("rmsprop centered+momentum", "RMSprop", "rmsprop", dict(lr=0.003, centered=True, momentum=0.5)),
    ("rmsprop centered eps", "RMSprop", "rmsprop", dict(lr=0.01, centered=True, eps=1e-3)),
    ("rmsprop weight_decay", "RMSprop", "rmsprop", dict(lr=0.01, alpha=0.95, weight_decay=0.05)),
    ("adagrad default", "Adagrad", "adagrad", dict(lr=0.1)),
    ("adagrad lr_decay", "Adagrad", "adagrad", dict(lr=0.2, lr_decay=0.05)),
    ("adagrad initial_accumulator_value", "Adagrad", "adagrad", dict(lr=0.1, initial_accumulator_value=0.1)),
    ("adagrad weight_decay", "Adagrad", "adagrad", dict(lr=0.1, weight_decay=0.01, eps=1e-8)),
]

F64 = torch.float64


def f32(t):
    """Round to float32, keep float64 (so both sides start from the same numbers)."""
    return t.to(torch.float32).to(F64)


def make_data(g):
    """Two noisy interleaved half-moons, 32 points each."""
    n = 32
    a = torch.rand(n, generator=g, dtype=F64) * torch.pi
    b = torch.rand(n, generator=g, dtype=F64) * torch.pi
    X0 = torch.stack([torch.cos(a), torch.sin(a)], 1)
    X1 = torch.stack([1 - torch.cos(b), 0.5 - torch.sin(b)], 1)
    X = torch.cat([X0, X1]) + 0.2 * torch.randn(2 * n, 2, generator=g, dtype=F64)
    y = torch.cat([torch.zeros(n, dtype=F64), torch.ones(n, dtype=F64)])
    return f32(X), y


def make_net(g):
    sizes = [2, 8, 8, 1]
    layers = []
    for fin, fout in zip(sizes[:-1], sizes[1:]):
        lin = torch.nn.Linear(fin, fout).to(F64)
        bound = 1 / fin ** 0.5  # torch's default Linear init range
        with torch.no_grad():
            lin.weight.copy_(f32((torch.rand(fout, fin, generator=g, dtype=F64) * 2 - 1) * bound * 1.5))
            lin.bias.copy_(f32((torch.rand(fout, generator=g, dtype=F64) * 2 - 1) * bound))
        layers.append(lin)
    return layers


def forward(layers, X):
    a = X
    for i, lin in enumerate(layers):
        a = lin(a)
        if i < len(layers) - 1:
            a = torch.tanh(a)
    return a


def run_case(layers0, X, y, opt_name, hyper, dtype=F64):
    X, y = X.to(dtype), y.to(dtype)
    layers = [torch.nn.Linear(l.in_features, l.out_features).to(dtype) for l in layers0]
    with torch.no_grad():
        for l, l0 in zip(layers, layers0):
            l.weight.copy_(l0.weight)
            l.bias.copy_(l0.bias)
    params = [p for l in layers for p in (l.weight, l.bias)]
    kw = dict(hyper)
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    extra = {"foreach": False}
    opt = getattr(torch.optim, opt_name)(params, **kw, **extra)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(forward(layers, X).squeeze(1), y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    with torch.no_grad():
        losses.append(loss_fn(forward(layers, X).squeeze(1), y).item())
    return losses


def main():
    assert torch.__version__.startswith("1.13"), torch.__version__
    g = torch.Generator().manual_seed(SEED)
    X, y = make_data(g)
    layers0 = make_net(g)
    init = [
        {"W": l.weight.detach().t().tolist(), "b": l.bias.detach().tolist()}  # [out,in] → [in,out]
        for l in layers0
    ]
    problem = {
        "kind": "mlp",
        "data": {"kind": "explicit", "X": X.tolist(), "y": [int(v) for v in y.tolist()]},
        "hidden": [8, 8],
        "activation": "tanh",
        "loss": "bce",
        "init": init,
    }
    cases = []
    for name, opt_name, alg, hyper in CASES:
        losses = run_case(layers0, X, y, opt_name, hyper)
        # Conditioning guard: torch's own float32 run must track float64 closely over the window the
        # test compares (tfjs is float32); a chaotic trajectory would test rounding, not semantics.
        l32 = run_case(layers0, X, y, opt_name, hyper, torch.float32)
        drift = max(abs(a - b) / abs(b) for a, b in zip(l32[: WINDOW + 1], losses))
        print(f"{name:38s} f0={losses[0]:.6f} f{STEPS}={losses[-1]:.6f} torch f32 drift={drift:.1e}", file=sys.stderr)
        if drift > 1e-5:
            sys.exit(f"{name}: torch float32 drifts {drift:.1e} from float64 in {WINDOW} steps; pick other hyper-parameters")
        cases.append({
            "name": name,
            "torch": f"torch.optim.{opt_name}({', '.join(f'{k}={v!r}' for k, v in hyper.items())})",
            "config": {
                "version": 1,
                "problem": problem,
                "runs": [{"algorithm": alg, "hyper": hyper}],
                "steps": STEPS,
            },
            "losses": losses,
            "float32Drift": float(f"{drift:.2e}"),
        })
    out = {
        "generator": "tools/torch_optim_fixtures.py",
        "torch": torch.__version__,
        "dtype": "float64",
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "torch-optim.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
