"""fitDataset end to end (issue 7): a CSV file trains a model, an awaiting
generator feeds training while another task runs, and fitDataset over a
dataset gives the weights fit gives over the same tensors in the same order."""

from __future__ import annotations

import anyio
import numpy as np

import tfjs_py as tf


def linear_model(lr: float = 0.05) -> tf.LayersModel:
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [2], 'kernelInitializer': 'zeros'}))
    model.compile({'optimizer': tf.train.sgd(lr), 'loss': 'meanSquaredError'})
    return model


def points(n: int) -> tuple[np.ndarray, np.ndarray]:
    """y = 3a - 2b + 1 on a deterministic grid."""
    i = np.arange(n)
    x = np.stack([(i % 17) / 17.0, (i % 13) / 13.0], axis=1).astype(np.float32)
    return x, (3 * x[:, :1] - 2 * x[:, 1:] + 1).astype(np.float32)


async def test_csv_of_thousands_of_rows_trains_a_model(backend, tmp_path):
    x, y = points(3000)
    path = tmp_path / 'rows.csv'
    path.write_text('a,b,y\n' + ''.join(f'{a!r},{b!r},{t!r}\n' for (a, b), (t,) in
                                         zip(x.tolist(), y.tolist(), strict=True)))
    ds = tf.data.csv(f'file://{path}', {'columnConfigs': {'y': {'isLabel': True}}}).map(
        lambda row: {'xs': list(row['xs'].values()), 'ys': list(row['ys'].values())}).batch(100)
    model = linear_model(0.2)
    history = await model.fitDataset(ds, {'epochs': 6, 'verbose': 0})
    losses = history.history['loss']
    assert len(losses) == 6 and losses[-1] < losses[0] / 10
    kernel, bias = (w.numpy() for w in model.getWeights())
    np.testing.assert_allclose(kernel.ravel(), [3, -2], atol=0.35)
    np.testing.assert_allclose(bias, [1], atol=0.3)
    model.dispose()


async def test_awaiting_generator_feeds_training_while_a_ticker_runs(backend):
    x, y = points(64)
    ticks = 0
    done = False

    async def rows():
        for a, b in zip(x.tolist(), y.tolist(), strict=True):
            await anyio.sleep(0.0005)  # e.g. a database or a queue
            yield {'xs': a, 'ys': b}

    async def ticker():
        nonlocal ticks
        while not done:
            ticks += 1
            await anyio.sleep(0.001)

    model = linear_model()
    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        history = await model.fitDataset(tf.data.generator(rows).batch(16),
                                         {'epochs': 3, 'verbose': 0, 'yieldEvery': 'batch'})
        ticks_during_fit = ticks
        done = True
    assert len(history.history['loss']) == 3
    # 192 awaited rows in all: the ticker ran many times while training went on.
    assert ticks_during_fit >= 20
    model.dispose()


async def test_fit_dataset_equals_fit_with_the_same_batches(backend):
    x, y = points(40)
    xs, ys = tf.tensor(x), tf.tensor(y)
    by_fit = linear_model()
    by_dataset = linear_model()
    fit = await by_fit.fit(xs, ys, {'epochs': 3, 'batchSize': 8, 'shuffle': False,
                                    'verbose': 0})
    ds = tf.data.zip({'xs': tf.data.array(x.tolist()), 'ys': tf.data.array(y.tolist())}).batch(8)
    fit_ds = await by_dataset.fitDataset(ds, {'epochs': 3, 'verbose': 0})
    np.testing.assert_allclose(fit_ds.history['loss'], fit.history['loss'], rtol=1e-5)
    for a, b in zip(by_fit.getWeights(), by_dataset.getWeights(), strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    tf.dispose([xs, ys])
    by_fit.dispose()
    by_dataset.dispose()


async def test_full_fit_dataset_run_leaks_nothing(backend):
    x, y = points(30)
    start = tf.memory().numTensors
    model = linear_model()
    ds = tf.data.array([{'xs': a, 'ys': b} for a, b in zip(x.tolist(), y.tolist(), strict=True)])
    await model.fitDataset(ds.shuffle(30, 7).batch(7), {'epochs': 2, 'verbose': 0,
                                                        'validationData': ds.batch(10)})
    model.dispose()
    assert tf.memory().numTensors == start
