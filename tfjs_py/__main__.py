"""`python -m tfjs_py`: the seed document's example, line for line: a
Sequential model with one dense unit learns y = 2x - 1 from four points."""

from __future__ import annotations

import anyio

import tfjs_py as tf


async def main() -> None:
    await tf.ready()
    print(f'backend: {tf.getBackend()}')
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [1]}))
    model.compile({'optimizer': 'sgd', 'loss': 'meanSquaredError'})
    xs = tf.tensor2d([[1], [2], [3], [4]], [4, 1])
    ys = tf.tensor2d([[1], [3], [5], [7]], [4, 1])
    history = await model.fit(xs, ys, {'epochs': 1000})
    losses = history.history['loss']
    print(f'loss: epoch 1 {losses[0]:.4f}, epoch 1000 {losses[-1]:.6f}')
    model.predict(tf.tensor2d([[5]], [1, 1])).print()


if __name__ == '__main__':
    anyio.run(main)
