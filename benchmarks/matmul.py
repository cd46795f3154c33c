"""tf.matMul and tf.fused.matMul against np.matmul, same run.

    python benchmarks/matmul.py          # per-call cost on the default backend
    python benchmarks/matmul.py --gl     # and GFLOP/s of the GL backend's matMul

Small sizes show the per-call dispatch cost (validation, kernel lookup,
tensor bookkeeping); large ones should match NumPy, whose BLAS does the work.

The GL table (also printed by benchmarks/gl.py) times 1024x1024x1024 and
128x784x256 on 'gl' through its two shaders: 'packed' (the default for big
products: gl/linalg/pack4.comp then the register-blocked
gl/linalg/matmul_packed.comp) and 'direct' (the single-dispatch
gl/linalg/matmul.comp over one value per texel, which the kernel keeps for
small products; forced here by raising linalg.DIRECT_MAX), beside NumPy. Each
GL figure is the best of several runs including a glFinish, no read back.
Timings are noisy on a shared machine: run with OPENBLAS_NUM_THREADS=1 and
nothing else busy.
"""

from __future__ import annotations

import sys
import time
import timeit
import warnings

import numpy as np

import tfjs_py as tf


def per_call_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def best_s(fn, repeat: int) -> float:
    return best_wall_cpu_s(fn, repeat)[0]


def best_wall_cpu_s(fn, repeat: int) -> tuple[float, float]:
    """Best wall time and best process CPU time (all threads) of fn."""
    fn()  # compile and warm up
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


CASES = [  # name, shape of a, shape of b, calls per timing
    ('8x8 @ 8x8', (8, 8), (8, 8), 20_000),
    ('64x64 @ 64x64', (64, 64), (64, 64), 5_000),
    ('256x256 @ 256x256', (256, 256), (256, 256), 200),
    ('batched 32x(64x64 @ 64x64)', (32, 64, 64), (32, 64, 64), 100),
    ('broadcast 32x(64x64) @ 64x64', (32, 64, 64), (64, 64), 100),
]
GL_SIZES = [(1024, 1024, 1024), (128, 784, 256)]  # M, K, N


def per_call_table() -> None:
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


def gl_gflops(sizes=GL_SIZES) -> list[tuple[str, dict[str, float]]]:
    """GFLOP/s of NumPy and of the GL backend's packed and direct shaders."""
    from tfjs_py.backends.gl.kernels import linalg

    eng = tf.engine()
    with warnings.catch_warnings():  # the default backend's choice skips a software gl
        warnings.simplefilter('ignore')
        previous = eng.backend.name
    eng.set_backend_sync('gl')
    backend = eng.backend
    rng = np.random.default_rng(0)
    rows = []
    for m, k, n in sizes:
        flop = 2 * m * k * n
        na = rng.random((m, k), np.float32)
        nb = rng.random((k, n), np.float32)
        a, b = tf.tensor(na), tf.tensor(nb)

        def run(a=a, b=b):
            tf.matMul(a, b).dispose()
            backend.sync()

        wall, cpu = best_wall_cpu_s(run, 3)
        row = {'numpy': flop / best_s(lambda na=na, nb=nb: np.matmul(na, nb), 5) / 1e9,
               'packed': flop / wall / 1e9, 'packed/cpu': flop / cpu / 1e9}
        direct_max = linalg.DIRECT_MAX
        linalg.DIRECT_MAX = flop
        try:
            row['direct'] = flop / best_s(run, 1 if flop > 1e9 else 3) / 1e9
        finally:
            linalg.DIRECT_MAX = direct_max
        rows.append((f'{m}x{k}x{n}', row))
        tf.dispose([a, b])
    eng.set_backend_sync(previous)
    return rows


def print_gl_gflops() -> None:
    from tfjs_py.backends.gl.kernels import linalg

    print(f'GL matMul GFLOP/s (M x K x N; packed tiles {linalg.BLOCK_ROWS}x'
          f'{4 * linalg.BLOCK_COLS} per invocation, {linalg.LOCAL} per work group)')
    print('(packed/cpu-s: GFLOP per second of this process\'s CPU time, all threads: the rate')
    print(' of one dedicated core when llvmpipe computes on the GL thread, as on <= 2 cores)')
    print(f"{'case':<20}{'gl packed':>11}{'packed/cpu-s':>14}{'gl direct':>11}{'numpy':>9}")
    for label, row in gl_gflops():
        print(f"{label:<20}{row['packed']:>11.2f}{row['packed/cpu']:>14.2f}"
              f"{row['direct']:>11.2f}{row['numpy']:>9.1f}")


if __name__ == '__main__':
    per_call_table()
    if '--gl' in sys.argv[1:]:
        print()
        print_gl_gflops()
