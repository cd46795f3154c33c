"""The GL backend against the NumPy one: tf.add and tf.matMul at a few sizes,
then matMul and conv2d in GFLOP/s.

    python benchmarks/gl.py

Each figure is the best of several runs of one op including the wait for its
result on the GL side (a dispatch plus a glFinish, no read back), then the
same op read back to the host with dataSync(); cpu is NumPy in the same run.
The matMul GFLOP/s table comes from benchmarks/matmul.py (the packed shader,
the direct one and NumPy); conv2d runs the GL backend's Conv2D kernel.
"""

from __future__ import annotations

import time

import numpy as np
from matmul import print_gl_gflops

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
    print()
    print_gl_gflops()
    print()
    print_conv_gflops()


CONV_CASES = [  # input NHWC, filter [kh, kw, in, out], 'same' padding, stride 1
    ((8, 32, 32, 16), (3, 3, 16, 32)),
    ((8, 32, 32, 32), (3, 3, 32, 64)),
]


def print_conv_gflops() -> None:
    """GFLOP/s of a conv2d's forward pass, and of forward plus both gradients
    (3 products of the same size), on 'gl' through its Conv kernels (tf.conv2d
    and tf.grads), through im2col passes plus the packed matMul
    (linalg.conv_im2col, conv_backprop_*_im2col), and on cpu."""
    from tfjs_py.backends.gl.kernels import linalg
    from tfjs_py.ops.conv_util import conv_info

    eng = tf.engine()
    rng = np.random.default_rng(0)
    print('conv2d GFLOP/s (stride 1, same padding; 2 * outputs * kh * kw * in per product)')
    print(f"{'case':<34}{'pass':<8}{'gl kernel':>11}{'gl im2col':>11}{'cpu':>9}")
    for xs, ws in CONV_CASES:
        flop = 2 * int(np.prod(xs[:3])) * ws[3] * ws[0] * ws[1] * ws[2]
        info = conv_info(xs, ws, 1, 1, 'same')
        nx, nw = rng.random(xs, np.float32), rng.random(ws, np.float32)
        ndy = rng.random(info.out_shape, np.float32)
        figures = {}
        for name in ('gl', 'cpu'):
            eng.set_backend_sync(name)
            backend = eng.backend
            x, w, dy = tf.tensor(nx), tf.tensor(nw), tf.tensor(ndy)
            grads = tf.grads(lambda a, b, dy=dy: tf.conv2d(a, b, 1, 'same').mul(dy).sum())

            def done(backend=backend, name=name):
                if name == 'gl':
                    backend.sync()

            def forward(x=x, w=w, done=done):
                tf.conv2d(x, w, 1, 'same').dispose()
                done()

            def training(x=x, w=w, grads=grads, done=done):
                tf.dispose(grads([x, w]))
                done()

            figures[name, 'fwd'] = flop / best_ms(forward, 3) / 1e6
            figures[name, 'fwd+grad'] = 3 * flop / best_ms(training, 2) / 1e6
            if name == 'gl':
                def im2col(x=x, w=w, backend=backend, info=info):
                    backend.free(linalg.conv_im2col(backend, x, w, info).rec)
                    backend.sync()

                def im2col_training(x=x, w=w, dy=dy, backend=backend, info=info):
                    for out in (linalg.conv_im2col(backend, x, w, info),
                                linalg.conv_backprop_input_im2col(backend, dy, w, info),
                                linalg.conv_backprop_filter_im2col(backend, x, dy, info)):
                        backend.free(out.rec)
                    backend.sync()

                figures['im2col', 'fwd'] = flop / best_ms(im2col, 3) / 1e6
                figures['im2col', 'fwd+grad'] = 3 * flop / best_ms(im2col_training, 2) / 1e6
            tf.dispose([x, w, dy])
        label = f'{list(xs)} * {list(ws)}'
        for kind in ('fwd', 'fwd+grad'):
            print(f"{label:<34}{kind:<8}{figures['gl', kind]:>11.2f}"
                  f"{figures['im2col', kind]:>11.2f}{figures['cpu', kind]:>9.2f}")
    eng.set_backend_sync('cpu')


if __name__ == '__main__':
    main()
