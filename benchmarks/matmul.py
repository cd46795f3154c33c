"""tf.matMul and tf.fused.matMul against np.matmul, same run.

    python benchmarks/matmul.py

Small sizes show the per-call dispatch cost (validation, kernel lookup,
tensor bookkeeping); large ones should match NumPy, whose BLAS does the work.
"""

from __future__ import annotations

import timeit

import numpy as np

import tfjs_py as tf


def per_call_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


CASES = [  # name, shape of a, shape of b, calls per timing
    ('8x8 @ 8x8', (8, 8), (8, 8), 20_000),
    ('64x64 @ 64x64', (64, 64), (64, 64), 5_000),
    ('256x256 @ 256x256', (256, 256), (256, 256), 200),
    ('batched 32x(64x64 @ 64x64)', (32, 64, 64), (32, 64, 64), 100),
    ('broadcast 32x(64x64) @ 64x64', (32, 64, 64), (64, 64), 100),
]


def main() -> None:
    rng = np.random.default_rng(0)
    print(f'backend: {tf.getBackend()}')
    print(f"{'case':<36}{'tfjs_py us':>12}{'numpy us':>11}{'overhead us':>13}{'ratio':>8}")
    for name, sa, sb, number in CASES:
        na = rng.normal(size=sa).astype(np.float32)
        nb = rng.normal(size=sb).astype(np.float32)
        a, b = tf.tensor(na), tf.tensor(nb)
        base = per_call_us(lambda na=na, nb=nb: np.matmul(na, nb), number)
        ours = per_call_us(lambda a=a, b=b: tf.matMul(a, b).dispose(), number)
        print(f'{"matMul " + name:<36}{ours:>12.2f}{base:>11.2f}{ours - base:>13.2f}'
              f'{ours / base:>8.2f}')
        tf.dispose([a, b])
    for name, sa, sb, number in CASES[:3]:
        na = rng.normal(size=sa).astype(np.float32)
        nb = rng.normal(size=sb).astype(np.float32)
        nbias = rng.normal(size=sb[-1:]).astype(np.float32)
        a, b, bias = tf.tensor(na), tf.tensor(nb), tf.tensor(nbias)
        base = per_call_us(
            lambda na=na, nb=nb, nbias=nbias: np.maximum(np.matmul(na, nb) + nbias, 0), number)
        ours = per_call_us(lambda a=a, b=b, bias=bias: tf.fused.matMul(
            {'a': a, 'b': b, 'bias': bias, 'activation': 'relu'}).dispose(), number)
        print(f'{"fused relu " + name:<36}{ours:>12.2f}{base:>11.2f}{ours - base:>13.2f}'
              f'{ours / base:>8.2f}')
        tf.dispose([a, b, bias])


if __name__ == '__main__':
    main()
