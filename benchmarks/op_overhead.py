"""Per-op dispatch overhead.

    python benchmarks/op_overhead.py [--backend cpu|gl]

cpu: tf.add of small tensors against np.add, same run (target: at most 5 us
above NumPy); small models live or die by this figure.

gl: small ops, where the computation is nothing and the overhead is all; per
op the wall time and the CPU time of each thread that works for it: the
caller's (the op, the kernel, the program lookup, uniforms, texture
acquire/release, the queue) and the GL thread's (binds, uniforms, the
dispatch itself). CPU time is the steadier figure on a shared machine; wall
time also counts waiting for a core. Then the same ops with a read back
(`dataSync`, one round trip to the GL thread).
"""

from __future__ import annotations

import argparse
import time
import timeit

import numpy as np

import tfjs_py as tf


def per_call_us(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def cpu_report() -> None:
    number = 100_000
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


def gl_per_op(backend, fn, number: int) -> tuple[float, float, float]:
    """Best of 5 rounds of `number` calls and a wait for the GL thread:
    (wall, caller CPU, GL thread CPU) in us per call."""
    worker = backend.worker
    fn()
    backend.sync()
    best = (float('inf'),) * 3
    for _ in range(5):
        gl_start = worker.call(time.thread_time)
        wall, cpu = time.perf_counter(), time.thread_time()
        for _ in range(number):
            fn()
        backend.sync()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        gl_cpu = worker.call(time.thread_time) - gl_start
        round_ = (wall / number * 1e6, cpu / number * 1e6, gl_cpu / number * 1e6)
        best = min(best, round_)
    return best


def gl_report(backend) -> None:
    number = 2000
    a = tf.tensor(np.ones(10, np.float32))
    b = tf.tensor(np.ones(10, np.float32))
    m = tf.tensor(np.ones((4, 4), np.float32))
    cases = {
        'tf.add, 10 elements': lambda: tf.add(a, b).dispose(),
        'tf.relu, 10 elements': lambda: tf.relu(a).dispose(),
        'a * 2.0, 10 elements': lambda: (a * 2.0).dispose(),
        'tf.matMul 4x4': lambda: tf.matMul(m, m).dispose(),
        'tf.sum, 10 elements': lambda: tf.sum(a).dispose(),
    }
    print(f"{'case':<30}{'wall us':>9}{'caller CPU us':>15}{'GL thread CPU us':>18}")
    for label, fn in cases.items():
        wall, cpu, gl_cpu = gl_per_op(backend, fn, number)
        print(f'{label:<30}{wall:>9.1f}{cpu:>15.1f}{gl_cpu:>18.1f}')

    def add_and_read() -> None:
        c = tf.add(a, b)
        c.dataSync()
        c.dispose()

    wall, cpu, gl_cpu = gl_per_op(backend, add_and_read, number // 4)
    print(f"{'tf.add + dataSync':<30}{wall:>9.1f}{cpu:>15.1f}{gl_cpu:>18.1f}")
    tf.dispose([a, b, m])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', default='cpu')
    tf.engine().set_backend_sync(parser.parse_args().backend)
    print(f'backend: {tf.getBackend()}')
    if tf.getBackend() == 'gl':
        gl_report(tf.engine().backend)
    else:
        cpu_report()


if __name__ == '__main__':
    main()
