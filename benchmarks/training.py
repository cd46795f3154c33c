"""How much fit() holds up the event loop: a 5 ms ticker's lag beside
`await model.fit()`, for each yieldEvery policy and two step sizes.

    python benchmarks/training.py [--backend cpu|gl]

For each case: the training step time, fit's wall time, and the ticker's lag
(how late each tick woke up) at p50/p99/max. Training steps run on the loop's
thread, so a tick can only run between batches: 'batch' bounds the lag by one
step, 'auto' by ~125 ms plus a step, 'never' by the whole fit.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import numpy as np

import tfjs_py as tf

TICK_S = 0.005


def make_model(width: int, depth: int) -> tf.LayersModel:
    model = tf.sequential()
    model.add(tf.layers.dense({'units': width, 'activation': 'relu', 'inputShape': [32]}))
    for _ in range(depth - 1):
        model.add(tf.layers.dense({'units': width, 'activation': 'relu'}))
    model.add(tf.layers.dense({'units': 1}))
    model.compile({'optimizer': 'adam', 'loss': 'meanSquaredError'})
    return model


async def measure(width: int, depth: int, batch_size: int, samples: int,
                  yield_every: object) -> dict[str, float]:
    rng = np.random.default_rng(0)
    xs = tf.tensor(rng.standard_normal((samples, 32), dtype=np.float32))
    ys = tf.tensor(rng.standard_normal((samples, 1), dtype=np.float32))
    model = make_model(width, depth)
    lags: list[float] = []
    running = True

    async def ticker() -> None:
        while running:
            start = time.perf_counter()
            await asyncio.sleep(TICK_S)
            lags.append(time.perf_counter() - start - TICK_S)

    await model.fit(xs, ys, {'epochs': 1, 'batchSize': batch_size, 'verbose': 0})  # warm up
    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    lags.clear()
    start = time.perf_counter()
    await model.fit(xs, ys, {'epochs': 2, 'batchSize': batch_size, 'verbose': 0,
                             'yieldEvery': yield_every})
    wall = time.perf_counter() - start
    running = False
    await task
    steps = 2 * -(-samples // batch_size)
    model.dispose()
    tf.dispose([xs, ys])
    ms = np.asarray(lags or [0.0]) * 1000
    return {'step_ms': wall / steps * 1000, 'wall_s': wall, 'ticks': len(lags),
            'p50': float(np.percentile(ms, 50)), 'p99': float(np.percentile(ms, 99)),
            'max': float(ms.max())}


async def main(backend: str) -> None:
    await tf.setBackend(backend)
    print(f'backend: {tf.getBackend()}; ticker every {TICK_S * 1000:.0f} ms')
    print(f"{'model':<22}{'yieldEvery':>11}{'step ms':>9}{'fit s':>8}{'ticks':>7}"
          f"{'lag p50':>9}{'p99':>8}{'max ms':>8}")
    cases = [('MLP 64x2, batch 32', 64, 2, 32, 4096),
             ('MLP 512x3, batch 256', 512, 3, 256, 2048)]
    for label, width, depth, batch, samples in cases:
        for policy in ('batch', 'auto', 'epoch', 'never'):
            r = await measure(width, depth, batch, samples, policy)
            print(f"{label:<22}{policy:>11}{r['step_ms']:>9.2f}{r['wall_s']:>8.2f}"
                  f"{r['ticks']:>7}{r['p50']:>9.2f}{r['p99']:>8.2f}{r['max']:>8.1f}")


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--backend', default='cpu')
    asyncio.run(main(parser.parse_args().backend))
