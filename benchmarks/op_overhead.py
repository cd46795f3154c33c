"""Per-op dispatch overhead: tf.add of small tensors against np.add, same run.

    python benchmarks/op_overhead.py

Small models live or die by this figure (target: at most 5 us above NumPy).
"""

from __future__ import annotations

import timeit

import numpy as np

import tfjs_py as tf


def per_call_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main() -> None:
    number = 100_000
    print(f'backend: {tf.getBackend()}')
    print(f"{'case':<28}{'tfjs_py us':>12}{'numpy us':>10}{'overhead us':>13}")
    for size in (1, 10, 1000):
        na = np.arange(size, dtype=np.float32)
        nb = np.ones(size, dtype=np.float32)
        a, b = tf.tensor(na), tf.tensor(nb)
        base = per_call_us(lambda na=na, nb=nb: np.add(na, nb), number)
        ours = per_call_us(lambda a=a, b=b: tf.add(a, b), number)
        print(f"{f'tf.add, {size} elements':<28}{ours:>12.2f}{base:>10.2f}{ours - base:>13.2f}")
        scalar = per_call_us(lambda a=a: a * 2.0, number)
        base_s = per_call_us(lambda na=na: na * np.float32(2.0), number)
        print(f"{f'a * 2.0, {size} elements':<28}{scalar:>12.2f}{base_s:>10.2f}"
              f"{scalar - base_s:>13.2f}")
        tf.dispose([a, b])


if __name__ == '__main__':
    main()
