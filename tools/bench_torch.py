"""Reference throughput for `npm run bench`: PyTorch CPU on the same MLP, data and initial weights.

Reads a JSON job on stdin: {"X": [[...]], "y": [...], "init": [{"W": [in][out], "b": [out]}, ...],
"activation": "tanh", "optimizer": "adam", "hyper": {...}, "seconds": 2.0, "maxSteps": 5000, "threads": N}
and prints {"stepsPerSec": ..., "steps": ..., "finalLoss": ..., "threads": ...}. Float32, full batch,
mean BCE-with-logits, a loss.item() read every step (as the lab records every loss). Intra-op threads
are pinned to job["threads"] (default: every core; torch reads 1 here by default) and reported.
"""
import json
import os
import sys
import time

import torch

job = json.load(sys.stdin)
torch.set_num_threads(int(job.get("threads") or os.cpu_count() or 1))
torch.manual_seed(0)
X = torch.tensor(job["X"], dtype=torch.float32)
y = torch.tensor(job["y"], dtype=torch.float32).reshape(-1, 1)
layers = []
for layer in job["init"]:
    W = torch.tensor(layer["W"], dtype=torch.float32).T.contiguous()  # torch Linear stores [out, in]
    lin = torch.nn.Linear(W.shape[1], W.shape[0])
    with torch.no_grad():
        lin.weight.copy_(W)
        lin.bias.copy_(torch.tensor(layer["b"], dtype=torch.float32))
    layers.append(lin)
act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[job.get("activation", "tanh")]
mods = []
for i, lin in enumerate(layers):
    mods.append(lin)
    if i < len(layers) - 1:
        mods.append(act())
net = torch.nn.Sequential(*mods)
opt_cls = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[job.get("optimizer", "adam")]
opt = opt_cls(net.parameters(), **job.get("hyper", {}))
loss_fn = torch.nn.BCEWithLogitsLoss()


def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(X), y)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(20):  # warm-up
    step()
steps, t0 = 0, time.perf_counter()
deadline = t0 + float(job.get("seconds", 2.0))
last = 0.0
while steps < int(job.get("maxSteps", 100000)) and time.perf_counter() < deadline:
    last = step()
    steps += 1
elapsed = time.perf_counter() - t0
print(json.dumps({"stepsPerSec": steps / elapsed, "steps": steps, "finalLoss": last, "threads": torch.get_num_threads()}))
