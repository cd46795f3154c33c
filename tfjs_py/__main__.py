"""`python -m tfjs_py`: the seed example, y = 2x - 1 learned from four points.

Written with the core API (variables, gradients, ops) until the Layers API
lands; then it becomes the seed document's Sequential model, line for line.
"""

from __future__ import annotations

import anyio

import tfjs_py as tf


async def main() -> None:
    await tf.ready()
    print(f'backend: {tf.getBackend()}')
    xs = tf.tensor2d([[1], [2], [3], [4]], [4, 1])
    ys = tf.tensor2d([[1], [3], [5], [7]], [4, 1])
    w = tf.variable(tf.zeros([1, 1]), name='dense/kernel')
    b = tf.variable(tf.zeros([1]), name='dense/bias')
    learning_rate = 0.01

    def loss() -> tf.Tensor:
        return tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xs, w), b), ys)))

    for epoch in range(1000):
        step = tf.variableGrads(loss, [w, b])
        tf.tidy(lambda step=step: [v.assign(v - step.grads[v.name] * learning_rate)
                                   for v in (w, b)])
        if epoch % 250 == 0 or epoch == 999:
            print(f'epoch {epoch + 1:4d}  loss {float(step.value):.6f}')
        tf.dispose(step)
        await anyio.sleep(0)

    tf.tidy(lambda: tf.add(tf.matMul(tf.tensor2d([[5]], [1, 1]), w), b)).print()
    print(f'tensors alive: {tf.memory().numTensors}')


if __name__ == '__main__':
    anyio.run(main)
