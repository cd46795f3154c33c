"""The GL backend against the NumPy one: tf.add and tf.matMul at a few sizes.

    python benchmarks/gl.py

Each figure is the best of several runs of one op including the wait for its
result on the GL side (a dispatch plus a glFinish, no read back), then the
same op read back to the host with dataSync(); cpu is NumPy in the same run.
"""

from __future__ import annotations

import time

import numpy as np

import tfjs_py as tf


def best_ms(fn, repeat: int = 7) -> float:
    fn()  # compile and warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def measure(make, op) -> dict[str, float]:
    out = {}
    eng = tf.engine()
    for name in ('cpu', 'gl'):
        eng.set_backend_sync(name)
        args = make()
        backend = eng.backend

        def run_only(args=args, backend=backend, name=name):
            op(*args).dispose()
            if name == 'gl':
                backend.sync()

        def run_read(args=args):
            y = op(*args)
            y.dataSync()
            y.dispose()

        out[name] = best_ms(run_only)
        out[name + '+read'] = best_ms(run_read)
        tf.dispose(args)
    return out


def main() -> None:
    eng = tf.engine()
    eng.set_backend_sync('gl')
    print(f'GL renderer: {eng.backend.context.renderer} ({eng.backend.context.kind})')
    print(f"{'case':<26}{'cpu ms':>10}{'gl ms':>10}{'cpu+read':>10}{'gl+read':>10}{'gl/cpu':>8}")
    rng = np.random.default_rng(0)
    cases = []
    for n in (1_000, 100_000, 1_000_000, 4_000_000):
        cases.append((f'add {n:,}', lambda n=n: [tf.tensor(rng.random(n, np.float32)),
                                               tf.tensor(rng.random(n, np.float32))], tf.add))
    for n in (64, 128, 256, 512):
        cases.append((f'matMul {n}x{n}', lambda n=n: [tf.tensor(rng.random((n, n), np.float32)),
                                                   tf.tensor(rng.random((n, n), np.float32))],
                      tf.matMul))
    for label, make, op in cases:
        r = measure(make, op)
        print(f"{label:<26}{r['cpu']:>10.3f}{r['gl']:>10.3f}{r['cpu+read']:>10.3f}"
              f"{r['gl+read']:>10.3f}{r['gl'] / r['cpu']:>8.1f}")
    eng.set_backend_sync('cpu')


if __name__ == '__main__':
    main()
