"""tf.metrics against values from real tfjs 4.22, and where we differ on
purpose (precision/recall thresholds, top-k)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.metrics import METRICS, getLossOrMetricName, getMetric

REF = json.loads((Path(__file__).parent / 'reference' /
                  'training_losses_metrics.json').read_text())

YT = [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]]
YP = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.3, 0.4, 0.3], [0.25, 0.25, 0.5]]
YR = [[1.5, -2, 0.5], [3, 0.1, -1], [0, 2, 2], [-1, -1, 4]]
YR2 = [[1, -1.5, 0.7], [2.5, 0.3, -1], [0.2, 2, 1], [-1.5, -0.5, 3]]
SP = [[1], [0], [2], [1]]
BT = [[1, 0], [0, 1], [1, 1], [0, 0]]
BP = [[0.9, 0.2], [0.6, 0.7], [0.4, 0.99], [0.1, 0.51]]


def check(result, key):
    expected = REF[key]
    assert list(result.shape) == expected['shape'], key
    np.testing.assert_allclose(np.asarray(result.dataSync(), dtype=np.float64),
                               expected['values'], rtol=2e-5, atol=2e-6, err_msg=key)


def test_metrics_match_tfjs(backend):
    def run():
        t2 = tf.tensor2d
        check(tf.metrics.binaryAccuracy(t2(BT), t2(BP)), 'M_binaryAccuracy')
        check(tf.metrics.binaryCrossentropy(t2(BT), t2(BP)), 'M_binaryCrossentropy')
        check(tf.metrics.categoricalAccuracy(t2(YT), t2(YP)), 'M_categoricalAccuracy')
        check(tf.metrics.categoricalCrossentropy(t2(YT), t2(YP)), 'M_categoricalCrossentropy')
        check(tf.metrics.sparseCategoricalAccuracy(t2(SP), t2(YP)),
              'M_sparseCategoricalAccuracy')
        check(tf.metrics.sparseCategoricalAccuracy(tf.tensor1d([1, 0, 2, 1]), t2(YP)),
              'M_sparseCategoricalAccuracy1d')
        check(tf.metrics.cosineProximity(t2(YR), t2(YR2)), 'M_cosineProximity')
        check(tf.metrics.meanAbsoluteError(t2(YR), t2(YR2)), 'M_meanAbsoluteError')
        check(tf.metrics.meanAbsolutePercentageError(t2(YR), t2(YR2)),
              'M_meanAbsolutePercentageError')
        check(tf.metrics.MAPE(t2(YR), t2(YR2)), 'M_meanAbsolutePercentageError')
        check(tf.metrics.meanSquaredError(t2(YR), t2(YR2)), 'M_meanSquaredError')
        check(tf.metrics.mse(t2(YR), t2(YR2)), 'M_meanSquaredError')
        check(tf.metrics.r2Score(t2(YR), t2(YR2)), 'M_r2Score')
        # Exact 0/1 predictions: the same as tfjs.
        hard = t2([[1, 0], [1, 1], [0, 1], [0, 0]])
        check(tf.metrics.precision(t2(BT), hard), 'M_precision01')
        check(tf.metrics.recall(t2(BT), hard), 'M_recall01')

    tf.tidy(run)


def test_precision_recall_threshold_probabilities(backend):
    """tfjs gives 0 here (only predictions equal to 1 count); above 0.5 counts."""
    def run():
        assert REF['M_precision_prob']['values'] == [0]
        p = tf.metrics.precision(tf.tensor2d(BT), tf.tensor2d(BP))
        r = tf.metrics.recall(tf.tensor2d(BT), tf.tensor2d(BP))
        assert p.shape == [] and r.shape == []
        np.testing.assert_allclose(p.dataSync(), [0.6], rtol=1e-6)
        np.testing.assert_allclose(r.dataSync(), [0.75], rtol=1e-6)
        # No predicted or no actual positives: 0, not NaN.
        zeros = tf.zeros([3, 1])
        assert tf.metrics.precision(zeros, zeros).dataSync()[0] == 0
        assert tf.metrics.recall(zeros, zeros).dataSync()[0] == 0

    tf.tidy(run)


def test_top_k(backend):
    def run():
        y_pred = tf.tensor2d([[0.1, 0.5, 0.2, 0.2], [0.6, 0.1, 0.2, 0.1], [0.3, 0.3, 0.2, 0.2]])
        y_true = tf.tensor2d([[0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0]])
        top2 = tf.metrics.topKCategoricalAccuracy(y_true, y_pred, 2)
        # Row 0: 0.2 ties for second place (counts); row 1: 0.1 is last; row 2: tie for first.
        np.testing.assert_array_equal(top2.dataSync(), [1, 0, 1])
        top1 = tf.metrics.sparseTopKCategoricalAccuracy(tf.tensor1d([1, 0, 3]), y_pred, 1)
        np.testing.assert_array_equal(top1.dataSync(), [1, 1, 0])
        default_k = tf.metrics.topKCategoricalAccuracy(y_true, y_pred)
        np.testing.assert_array_equal(default_k.dataSync(), [1, 1, 1])

    tf.tidy(run)


def test_metric_lookup_and_names():
    assert getMetric('mse') is METRICS['meanSquaredError']
    assert getMetric('binary_accuracy') is METRICS['binaryAccuracy']
    assert getMetric('precision') is METRICS['precision']
    assert getLossOrMetricName(tf.metrics.binaryAccuracy) == 'binaryAccuracy'
    assert getLossOrMetricName(tf.metrics.meanSquaredError) == 'meanSquaredError'
    assert getLossOrMetricName('mse') == 'mse'

    def myMetric(yTrue, yPred):
        return yPred

    assert getLossOrMetricName(myMetric) == 'myMetric'
    with pytest.raises(ValueError, match="Unknown metric binaryAcuracy; did you mean "
                                         "'binaryAccuracy'"):
        getMetric('binaryAcuracy')
    assert tf.metrics.binary_accuracy is tf.metrics.binaryAccuracy


def test_metrics_edge_cases(backend):
    def run():
        # High rank: accuracy per position; empty batches give empty results.
        acc = tf.metrics.categoricalAccuracy(tf.ones([2, 3, 4]), tf.ones([2, 3, 4]))
        assert acc.shape == [2, 3]
        assert tf.metrics.binaryAccuracy(tf.zeros([0, 2]), tf.zeros([0, 2])).shape == [0]
        nan = tf.metrics.meanSquaredError(tf.tensor2d([[float('nan')]]), tf.tensor2d([[1]]))
        assert np.isnan(nan.dataSync()[0])

    tf.tidy(run)
