#!/usr/bin/python3
"""Reference trajectories of SLS (SGD + Armijo line search) and AGD (automatic gradient descent) for
tests/sgd-armijo.test.ts and tests/agd.test.ts.

Run with the Debian python that has torch:  /usr/bin/python3 tools/sls_agd_fixture.py
Writes tests/fixtures/sls-agd.json: for every case an MM Lab experiment config (schema version 1, explicit
data and initial layers) and the reference run's f(θ₀), f(θ₁), … and per-step step sizes, in float64.

The optimizers are faithful ports of the authors' code (neither package is installed here):
  - SLS: github.com/IssamLaradji/sls, sls/sls.py `Sls.step` with line_search_fn="armijo" and
    sls/utils.py (reset_step, try_sgd_update, check_armijo_conditions, compute_grad_norm). One change,
    marked below: the grown step size of reset_option 1 is capped at eta_max (the package applies
    eta_max to its Goldstein search only; MM Lab caps the Armijo growth too, as its issue asks).
  - AGD: github.com/jxbz/agd, agd.py `AGD.step` and `AGD.init_weights`, applied to the network's weight
    matrices only (agd.py refuses biases: here the biases exist, start at 0 and are never updated, so the
    network is the paper's bias-free one).
Full batch: the line search and AGD see the whole set, so both sides use the same objective at every
step. torch.nn.Linear stores W as [out, in]; MM Lab stores [in, out], so W is transposed on export.
"""
import json
import math
import os
import sys

import torch

F64 = torch.float64
STEPS = 20
SEED = 20261207


def f32(t):
    """Round to float32, keep float64 (both sides start from the same numbers)."""
    return t.to(torch.float32).to(F64)


# ---------------------------------------------------------------- SLS (port of sls/utils.py, sls/sls.py)
def reset_step(step_size, n_batches_per_epoch, gamma, reset_option, init_step_size, eta_max):
    if reset_option == 0:
        pass
    elif reset_option == 1:
        step_size = step_size * gamma ** (1.0 / n_batches_per_epoch)
        step_size = min(step_size, eta_max)  # MM Lab: the growth is capped at eta_max (see the docstring)
    elif reset_option == 2:
        step_size = init_step_size
    return step_size


def try_sgd_update(params, step_size, params_current, grad_current):
    for p_next, p_current, g_current in zip(params, params_current, grad_current):
        p_next.data = p_current - step_size * g_current


def compute_grad_norm(grad_list):
    grad_norm = 0.0
    for g in grad_list:
        grad_norm += torch.sum(torch.mul(g, g))
    return torch.sqrt(grad_norm)


def check_armijo_conditions(step_size, loss, grad_norm, loss_next, c, beta_b):
    found = 0
    break_condition = loss_next - (loss - step_size * c * grad_norm ** 2)
    if break_condition <= 0:
        found = 1
    else:
        step_size = step_size * beta_b
    return found, step_size, float(break_condition)


class Sls:
    """sls.Sls with line_search_fn='armijo', one parameter group; records what the tests compare."""

    def __init__(self, params, n_batches_per_epoch=500, init_step_size=1, c=0.1, beta_b=0.9, gamma=2.0,
                 reset_option=1, eta_max=10):
        self.params = list(params)
        self.h = dict(n_batches_per_epoch=n_batches_per_epoch, init_step_size=init_step_size, c=c, beta_b=beta_b,
                      gamma=gamma, reset_option=reset_option, eta_max=eta_max)
        self.step_size = init_step_size
        self.margins = []  # |break_condition| of every test, relative to the loss

    def step(self, closure):
        h = self.h
        for p in self.params:
            p.grad = None
        loss = closure()
        loss.backward()
        params_current = [p.detach().clone() for p in self.params]
        grad_current = [p.grad for p in self.params]
        grad_norm = compute_grad_norm(grad_current)
        step_size = reset_step(self.step_size, h["n_batches_per_epoch"], h["gamma"], h["reset_option"],
                               h["init_step_size"], h["eta_max"])
        tries = 0
        taken = 0.0
        with torch.no_grad():
            if grad_norm >= 1e-8:
                found = 0
                for _ in range(100):
                    try_sgd_update(self.params, step_size, params_current, grad_current)
                    loss_next = closure()
                    tries += 1
                    tried = step_size
                    found, step_size, margin = check_armijo_conditions(step_size, loss, grad_norm, loss_next,
                                                                       h["c"], h["beta_b"])
                    self.margins.append(abs(margin) / abs(float(loss)))
                    if found == 1:
                        taken = tried
                        break
                if found == 0:
                    try_sgd_update(self.params, 1e-6, params_current, grad_current)
                    taken = 1e-6
        self.step_size = step_size
        return float(loss), taken, tries - 1


# ---------------------------------------------------------------- AGD (port of jxbz/agd agd.py)
def singular_value(p):
    return math.sqrt(p.shape[0] / p.shape[1])


class AGD:
    def __init__(self, weights, gain=1.0):
        self.weights = list(weights)
        self.depth = len(self.weights)
        self.gain = gain

    @torch.no_grad()
    def init_weights(self):
        for p in self.weights:
            torch.nn.init.orthogonal_(p)
            p *= singular_value(p)

    @torch.no_grad()
    def step(self):
        G = 0
        for p in self.weights:
            G += singular_value(p) * p.grad.norm(dim=(0, 1)).sum()
        G /= self.depth
        log = math.log(0.5 * (1 + math.sqrt(1 + 4 * G)))
        for p in self.weights:
            factor = singular_value(p) / p.grad.norm(dim=(0, 1), keepdim=True)
            p -= self.gain * log / self.depth * torch.nan_to_num(factor) * p.grad
        return log


# ---------------------------------------------------------------- problems
def make_data(g, n, d, kind):
    X = torch.randn(n, d, generator=g, dtype=F64)
    if kind == "unit-sphere":  # the paper's input scaling ‖x‖ = √d₀
        X = X / X.norm(dim=1, keepdim=True) * math.sqrt(d)
    X = f32(X)
    teacher = torch.randn(d, 3, generator=g, dtype=F64)
    scores = torch.tanh(X @ teacher) + 0.3 * torch.randn(n, 3, generator=g, dtype=F64)
    return X, scores


def make_net(g, sizes, init, dtype=F64):
    layers = []
    for fin, fout in zip(sizes[:-1], sizes[1:]):
        lin = torch.nn.Linear(fin, fout).to(dtype)
        with torch.no_grad():
            if init == "glorot":
                a = math.sqrt(6 / (fin + fout))
                lin.weight.copy_(f32((torch.rand(fout, fin, generator=g, dtype=F64) * 2 - 1) * a))
            lin.bias.zero_()
        layers.append(lin)
    return layers


def forward(layers, X, act):
    a = X
    for i, lin in enumerate(layers):
        a = lin(a)
        if i < len(layers) - 1:
            a = torch.relu(a) if act == "relu" else torch.tanh(a)
    return a


def loss_of(layers, X, y, act, loss):
    z = forward(layers, X, act)
    if loss == "mse":
        return torch.nn.functional.mse_loss(z, y.unsqueeze(1).expand_as(z))
    return torch.nn.functional.cross_entropy(z, y)


def copy_net(layers0, dtype):
    layers = [torch.nn.Linear(l.in_features, l.out_features).to(dtype) for l in layers0]
    with torch.no_grad():
        for l, l0 in zip(layers, layers0):
            l.weight.copy_(l0.weight)
            l.bias.copy_(l0.bias)
    return layers


def run_sls(layers0, X, y, act, loss, hyper, dtype=F64):
    layers = copy_net(layers0, dtype)
    X = X.to(dtype)
    y = y.to(dtype) if loss == "mse" else y
    params = [p for l in layers for p in (l.weight, l.bias)]
    opt = Sls(params, **hyper)
    closure = lambda: loss_of(layers, X, y, act, loss)  # noqa: E731
    losses, etas, backtracks = [], [], []
    for _ in range(STEPS):
        f, eta, bt = opt.step(closure)
        losses.append(f)
        etas.append(eta)
        backtracks.append(bt)
    with torch.no_grad():
        losses.append(float(closure()))
    return losses, etas, backtracks, opt.margins


def run_agd(layers0, X, y, act, loss, hyper, dtype=F64):
    layers = copy_net(layers0, dtype)
    X = X.to(dtype)
    y = y.to(dtype) if loss == "mse" else y
    opt = AGD([l.weight for l in layers], **hyper)
    losses, etas = [], []
    for _ in range(STEPS):
        for l in layers:
            l.weight.grad = None
        f = loss_of(layers, X, y, act, loss)
        losses.append(float(f))
        f.backward()
        etas.append(opt.step())
    with torch.no_grad():
        losses.append(float(loss_of(layers, X, y, act, loss)))
    return losses, etas


CASES = [
    # (name, optimizer, MM Lab id, hyper (the package's names), data, sizes' hidden part, activation, loss, init)
    ("sls defaults, full batch (η doubles, then backtracks)", "sls", "sgd-armijo",
     dict(init_step_size=1, c=0.1, beta_b=0.9, gamma=2.0, n_batches_per_epoch=1, reset_option=1, eta_max=10),
     "gauss", [8], "tanh", "softmax_ce", "glorot"),
    ("sls c=0.5, growth capped at eta_max", "sls", "sgd-armijo",
     dict(init_step_size=10, c=0.5, beta_b=0.7, gamma=2.0, n_batches_per_epoch=4, reset_option=1, eta_max=10),
     "gauss", [8, 8], "tanh", "mse", "glorot"),
    ("sls reset_option 2 (restart from init_step_size)", "sls", "sgd-armijo",
     dict(init_step_size=3, c=0.2, beta_b=0.8, gamma=2.0, n_batches_per_epoch=1, reset_option=2, eta_max=10),
     "gauss", [8], "relu", "softmax_ce", "glorot"),
    ("agd, the paper's setting (bias-free relu MLP, orthogonal init, ‖x‖ = √d₀, square loss)", "agd", "agd",
     dict(gain=1.0), "unit-sphere", [16, 16], "relu", "mse", "orthogonal"),
    ("agd gain 0.5, tanh, cross-entropy, Glorot init", "agd", "agd",
     dict(gain=0.5), "gauss", [12], "tanh", "softmax_ce", "glorot"),
]


def main():
    assert torch.__version__.startswith("1.13"), torch.__version__
    cases = []
    for i, (name, opt, alg, hyper, data, hidden, act, loss, init) in enumerate(CASES):
        g = torch.Generator().manual_seed(SEED + i)
        X, scores = make_data(g, 48, 6, data)
        y = scores.argmax(1) if loss == "softmax_ce" else f32(scores[:, 0])
        sizes = [6, *hidden, 3 if loss == "softmax_ce" else 1]
        layers0 = make_net(g, sizes, init)
        if init == "orthogonal":
            torch.manual_seed(SEED + i)
            AGD([l.weight for l in layers0]).init_weights()
            with torch.no_grad():
                for l in layers0:
                    l.weight.copy_(f32(l.weight))
        entry = {"name": name}
        if opt == "sls":
            losses, etas, backtracks, margins = run_sls(layers0, X, y, act, loss, hyper)
            l32 = run_sls(layers0, X, y, act, loss, hyper, torch.float32)[0]
            entry.update(etas=etas, backtracks=backtracks, minMargin=float(f"{min(margins):.2e}"))
            if min(margins) < 1e-5:
                sys.exit(f"{name}: an Armijo test is decided by {min(margins):.1e} of f (float32 could flip it)")
        else:
            losses, etas = run_agd(layers0, X, y, act, loss, hyper)
            l32 = run_agd(layers0, X, y, act, loss, hyper, torch.float32)[0]
            entry.update(etas=etas)
        drift = max(abs(a - b) / abs(b) for a, b in zip(l32, losses))
        print(f"{name[:60]:60s} f0={losses[0]:.6f} f{STEPS}={losses[-1]:.6f} f32 drift={drift:.1e}", file=sys.stderr)
        if drift > 1e-5:
            sys.exit(f"{name}: torch float32 drifts {drift:.1e} from float64; pick other settings")
        problem = {
            "kind": "mlp",
            "data": {"kind": "explicit", "X": X.tolist(),
                     "y": [int(v) for v in y.tolist()] if loss == "softmax_ce" else y.tolist()},
            "hidden": hidden,
            "activation": act,
            "loss": loss,
            "init": [{"W": l.weight.detach().t().tolist(), "b": l.bias.detach().tolist()} for l in layers0],
        }
        entry.update(config={"version": 1, "problem": problem, "runs": [{"algorithm": alg, "hyper": hyper}], "steps": STEPS},
                     losses=losses, float32Drift=float(f"{drift:.2e}"))
        cases.append(entry)
    out = {"generator": "tools/sls_agd_fixture.py", "torch": torch.__version__, "dtype": "float64", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "sls-agd.json")
    with open(path, "w") as fh:
        json.dump(out, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
