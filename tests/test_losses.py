"""tf.losses (weights, reductions) and the compile losses, against values from
real tfjs 4.22 (tests/reference/training_losses_metrics.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.losses import LOSSES, getLoss

REF = json.loads((Path(__file__).parent / 'reference' /
                  'training_losses_metrics.json').read_text())

L = [[0, 1, 0.5], [1, 0, 0.25]]
P = [[0.1, 0.8, 0.6], [0.7, 0.2, 0.1]]
W = [[1], [0]]
W2 = [[1, 2, 0], [0.5, 0, 3]]
LOG = [[2.0, -1.0, 0.5], [-3.0, 4.0, 0.0]]
OH = [[0, 1, 0], [1, 0, 0]]
REDUCTIONS = ['NONE', 'MEAN', 'SUM', 'SUM_BY_NONZERO_WEIGHTS']


def check(result, key):
    expected = REF[key]
    assert list(result.shape) == expected['shape'], key
    np.testing.assert_allclose(np.asarray(result.dataSync(), dtype=np.float64),
                               expected['values'], rtol=2e-5, atol=2e-6, err_msg=key)


def weights_of(name):
    return {'none': None, 'w': tf.tensor2d(W), 'w2': tf.tensor2d(W2)}[name]


@pytest.mark.parametrize('red', REDUCTIONS)
@pytest.mark.parametrize('wname', ['none', 'w', 'w2'])
def test_core_losses_match_tfjs(backend, red, wname):
    def run():
        R = tf.Reduction[red]
        labels, preds, logits = tf.tensor2d(L), tf.tensor2d(P), tf.tensor2d(LOG)
        w = weights_of(wname)
        check(tf.losses.absoluteDifference(labels, preds, w, R), f'absdiff_{red}_{wname}')
        check(tf.losses.meanSquaredError(labels, preds, w, R), f'mse_{red}_{wname}')
        check(tf.losses.hingeLoss(labels, preds, w, R), f'hinge_{red}_{wname}')
        check(tf.losses.huberLoss(labels, tf.mul(preds, 3), w, 0.5, R), f'huber_{red}_{wname}')
        check(tf.losses.logLoss(labels, preds, w, 1e-7, R), f'log_{red}_{wname}')
        cos_w = tf.tensor2d(W) if wname == 'w' else None
        check(tf.losses.cosineDistance(labels, preds, 1, cos_w, R), f'cos_{red}_{wname}')
        check(tf.losses.sigmoidCrossEntropy(labels, logits, w, 0, R), f'sig_{red}_{wname}')
        check(tf.losses.sigmoidCrossEntropy(labels, logits, w, 0.2, R), f'sigls_{red}_{wname}')
        soft_w = tf.tensor1d([1, 0]) if wname == 'w' else None
        check(tf.losses.softmaxCrossEntropy(tf.tensor2d(OH), logits, soft_w, 0, R),
              f'soft_{red}_{wname}')
        check(tf.losses.softmaxCrossEntropy(tf.tensor2d(OH), logits, None, 0.1, R),
              f'softls_{red}_{wname}')

    tf.tidy(run)


@pytest.mark.parametrize('red', REDUCTIONS)
def test_compute_weighted_loss(backend, red):
    def run():
        check(tf.losses.computeWeightedLoss(tf.tensor2d(P), tf.tensor2d(W2), tf.Reduction[red]),
              f'cwl_{red}')
        check(tf.losses.computeWeightedLoss(tf.tensor2d(P), tf.scalar(2), tf.Reduction[red]),
              f'cwl_{red}_b')

    tf.tidy(run)


def test_default_reduction_and_names(backend):
    def run():
        labels, preds = tf.tensor2d(L), tf.tensor2d(P)
        check(tf.losses.meanSquaredError(labels, preds), 'mse_SUM_BY_NONZERO_WEIGHTS_none')
        # Reductions by name, snake_case keywords.
        check(tf.losses.absolute_difference(labels, preds, reduction='mean'),
              'absdiff_MEAN_none')
        check(tf.losses.absoluteDifference(labels, preds, None, 'sumByNonzeroWeights'),
              'absdiff_SUM_BY_NONZERO_WEIGHTS_none')

    tf.tidy(run)


def test_loss_gradients_match_tfjs(backend):
    def run():
        labels, logits = tf.tensor2d(OH), tf.tensor2d(LOG)
        check(tf.grad(lambda x: tf.losses.softmaxCrossEntropy(labels, x))(logits), 'soft_grad')
        check(tf.grad(lambda x: tf.losses.sigmoidCrossEntropy(tf.tensor2d(L), x))(logits),
              'sig_grad')

    tf.tidy(run)


def test_core_loss_errors(backend):
    def run():
        with pytest.raises(ValueError, match='absoluteDifference.*shapes'):
            tf.losses.absoluteDifference(tf.ones([2, 3]), tf.ones([3, 2]))
        with pytest.raises(ValueError, match='Unknown reduction'):
            tf.losses.meanSquaredError(tf.ones([2]), tf.ones([2]), None, 'average')
        with pytest.raises(ValueError, match='non-last dimension'):
            from tfjs_py.losses import softmaxCrossEntropyWithLogits
            softmaxCrossEntropyWithLogits(tf.ones([2, 3]), tf.ones([2, 3]), 0)

    tf.tidy(run)


YT = [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]]
YP = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.25, 0.25, 0.5]]
YR = [[1.5, -2, 0.5], [3, 0.1, -1], [0, 2, 2], [-1, -1, 4]]
YR2 = [[1, -1.5, 0.7], [2.5, 0.3, -1], [0.2, 2, 1], [-1.5, -0.5, 3]]
SP = [[1], [0], [2], [1]]

REGRESSION = ['meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError',
              'meanSquaredLogarithmicError', 'squaredHinge', 'hinge', 'categoricalHinge',
              'logcosh', 'kullbackLeiblerDivergence', 'poisson', 'cosineProximity']


@pytest.mark.parametrize('name', REGRESSION)
def test_compile_losses_match_tfjs(backend, name):
    tf.tidy(lambda: check(getLoss(name)(tf.tensor2d(YR), tf.abs(tf.tensor2d(YR2))),
                          f'L_{name}'))


def test_crossentropy_compile_losses_match_tfjs(backend):
    def run():
        check(getLoss('categoricalCrossentropy')(tf.tensor2d(YT), tf.tensor2d(YP)),
              'L_categoricalCrossentropy')
        check(getLoss('binaryCrossentropy')(tf.tensor2d(YT), tf.tensor2d(YP)),
              'L_binaryCrossentropy')
        check(getLoss('sparseCategoricalCrossentropy')(tf.tensor2d(SP), tf.tensor2d(YP)),
              'L_sparseCategoricalCrossentropy')

    tf.tidy(run)


@pytest.mark.parametrize('alias, name', [
    ('mse', 'meanSquaredError'), ('MAE', 'meanAbsoluteError'),
    ('mape', 'meanAbsolutePercentageError'), ('msle', 'meanSquaredLogarithmicError'),
    ('kld', 'kullbackLeiblerDivergence'), ('cosine', 'cosineProximity'),
    ('mean_squared_error', 'meanSquaredError'), ('binary_crossentropy', 'binaryCrossentropy'),
    ('sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'),
    ('categorical_hinge', 'categoricalHinge'), ('log_cosh', 'logcosh')])
def test_loss_names(alias, name):
    assert getLoss(alias) is LOSSES[name]
    assert LOSSES[name].__name__ == name


def test_tf_losses_has_the_per_sample_losses_too():
    # Beyond tfjs (which keeps them internal): tf.losses.poisson(yTrue, yPred)
    # as keras.losses.poisson; meanSquaredError stays tfjs-core's weighted one.
    for name, fn in LOSSES.items():
        if name != 'meanSquaredError':
            assert getattr(tf.losses, name) is fn
    assert tf.losses.squared_hinge is LOSSES['squaredHinge']
    assert tf.losses.meanSquaredError is not LOSSES['meanSquaredError']
    assert {'hingeLoss', 'huberLoss', 'logLoss', 'computeWeightedLoss'} <= set(dir(tf.losses))


def test_unknown_loss_messages():
    with pytest.raises(ValueError, match="Unknown loss meanSquareError; did you mean "
                                         "'meanSquaredError'"):
        getLoss('meanSquareError')
    with pytest.raises(ValueError, match='categoricalCrossentropy.*softmaxCrossEntropy'):
        getLoss('softmaxCrossEntropy')
    custom = lambda yTrue, yPred: yPred  # noqa: E731
    assert getLoss(custom) is custom


def test_losses_edge_cases(backend):
    def run():
        # NaN propagates; empty batches give empty per-sample losses.
        out = getLoss('mse')(tf.tensor2d([[math.nan, 1]]), tf.tensor2d([[0, 1]]))
        assert math.isnan(out.dataSync()[0])
        assert getLoss('mae')(tf.zeros([0, 3]), tf.zeros([0, 3])).shape == [0]
        # High rank: the mean is over the last axis only.
        assert getLoss('mse')(tf.ones([2, 3, 4]), tf.zeros([2, 3, 4])).shape == [2, 3]
        # A scalar core loss of equal inputs is 0.
        assert tf.losses.meanSquaredError(tf.scalar(2), tf.scalar(2)).dataSync()[0] == 0

    tf.tidy(run)


def test_compile_loss_gradient(backend):
    from tests.gradcheck import check_grad
    check_grad(lambda p: tf.mean(getLoss('categoricalCrossentropy')(tf.tensor2d(YT), p)),
               [np.asarray(YP, np.float32)])


@pytest.mark.parametrize('name', ['meanSquaredError', 'categoricalCrossentropy'])
def test_training_batch_mean_matches_the_composed_loss(backend, name):
    """fit's batch mean (one closed-form gradient node) gives the composed
    loss's value exactly and its gradients within float rounding, clipped
    predictions included."""
    from tfjs_py.losses import batch_mean_loss
    fn = getLoss(name)
    rng = np.random.default_rng(3)
    yt = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 5)]
    yp = rng.uniform(0.05, 1, (5, 4)).astype(np.float32)
    yp[0, 1] = 1e-9  # below the crossentropy clip: no gradient flows there
    yp[1] = [0, 0, 5, 0]  # renormalized to one, above the clip
    t, p = tf.tensor(yt), tf.tensor(yp)

    def compare():
        fused = tf.valueAndGrads(lambda a, b: batch_mean_loss(fn, a, b))([t, p])
        plain = tf.valueAndGrads(lambda a, b: tf.mean(fn(a, b)))([t, p])
        assert fused.value.dataSync()[0] == plain.value.dataSync()[0]
        for mine, ref in zip(fused.grads, plain.grads, strict=True):
            np.testing.assert_allclose(mine.dataSync(), ref.dataSync(), rtol=1e-5, atol=1e-6)

    try:
        tf.tidy(compare)
        from tests.gradcheck import check_grad
        check_grad(lambda q: batch_mean_loss(fn, tf.tensor(yt[2:]), q), [yp[2:]])
    finally:
        tf.dispose([t, p])


def test_training_crossentropy_of_a_softmax_differentiates_the_logits(backend):
    """A softmax output's crossentropy node takes the logits: the same value,
    and the logits' gradient of the composed softmax and loss, the clip's dead
    zone included (the target class of sample 0 is below epsilon)."""
    from tfjs_py.losses import batch_mean_loss
    fn = getLoss('categoricalCrossentropy')
    rng = np.random.default_rng(5)
    yt = np.eye(4, dtype=np.float32)[[1, 0, 3, 2, 2]]
    z = rng.normal(0, 2, (5, 4)).astype(np.float32)
    z[0] = [10, -12, 0, 1]
    t, logits = tf.tensor(yt), tf.tensor(z)

    def compare():
        fused = tf.valueAndGrads(lambda a, b: batch_mean_loss(fn, a, tf.softmax(b)))(
            [t, logits])
        plain = tf.valueAndGrads(lambda a, b: tf.mean(fn(a, tf.softmax(b))))([t, logits])
        assert fused.value.dataSync()[0] == plain.value.dataSync()[0]
        for mine, ref in zip(fused.grads, plain.grads, strict=True):
            np.testing.assert_allclose(mine.dataSync(), ref.dataSync(), rtol=1e-5, atol=1e-6)
        assert np.all(fused.grads[1].dataSync()[:4] == 0)

    try:
        tf.tidy(compare)
    finally:
        tf.dispose([t, logits])


def test_training_batch_mean_falls_back_to_the_composed_loss(backend):
    from tfjs_py.losses import batch_mean_loss
    mse = getLoss('meanSquaredError')

    def run():
        # Broadcast targets and int32 targets take the composed path, same values.
        p = tf.tensor2d([[1.0, 2.0], [3.0, 5.0]])
        for t in (tf.tensor1d([1.0, 1.0]), tf.tensor2d([[1, 2], [3, 4]], None, 'int32')):
            assert batch_mean_loss(mse, t, p).dataSync()[0] == tf.mean(mse(t, p)).dataSync()[0]
        empty = tf.zeros([0, 2])
        assert batch_mean_loss(mse, empty, empty).dataSync()[0] == 0

    tf.tidy(run)
