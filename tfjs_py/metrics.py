"""tf.metrics: per-sample (or per-batch) metric functions of (yTrue, yPred).

As in tfjs, training takes the mean of what a metric returns for a batch.
Differences from tfjs, on purpose: precision and recall count a prediction
as positive when it is above 0.5 and a label when it is nonzero (tfjs counts
only values exactly equal to 1, so probabilities never count);
topKCategoricalAccuracy and sparseTopKCategoricalAccuracy exist (k=5, as
Keras; a target tied with the k-th score counts as in the top k).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._naming import Namespace, closest, snake_to_camel
from .engine.tensor import Tensor
from .engine_api import tidy
from .losses import (
    LOSSES,
    _cosine_proximity,
    _mean_absolute_error,
    _mean_absolute_percentage_error,
    _mean_squared_error,
    resolve_name,
)
from .losses import binaryCrossentropy as _binary_crossentropy_loss
from .losses import categoricalCrossentropy as _categorical_crossentropy_loss
from .losses import sparseCategoricalCrossentropy as _sparse_categorical_crossentropy_loss
from .ops.op import OPS

tf = Namespace('tf', OPS)

MetricFn = Callable[[Tensor, Tensor], Tensor]


def binaryAccuracy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """Mean over the last axis of (yPred > 0.5) == yTrue."""
    def run() -> Tensor:
        thresholded = tf.cast(tf.greater(yPred, tf.mul(0.5, tf.onesLike(yPred))), yTrue.dtype)
        return tf.mean(tf.equal(yTrue, thresholded), -1)

    return tidy(run)


def categoricalAccuracy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """1 where argMax(yTrue) == argMax(yPred) over the last axis."""
    return tidy(lambda: tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)),
                                'float32'))


def _confusion_counts(yTrue: Tensor, yPred: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    actual = tf.notEqual(yTrue, 0)
    predicted = tf.greater(yPred, 0.5)
    not_actual = tf.logicalNot(actual)
    not_predicted = tf.logicalNot(predicted)

    def count(a: Tensor, b: Tensor) -> Tensor:
        return tf.cast(tf.sum(tf.cast(tf.logicalAnd(a, b), 'int32')), 'float32')

    return (count(actual, predicted), count(not_actual, predicted),
            count(actual, not_predicted))


def _ratio(num: Tensor, den: Tensor) -> Tensor:
    return tf.where(tf.greater(den, 0), tf.div(num, tf.maximum(den, 1)), tf.zerosLike(den))


def precision(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """True positives / predicted positives over the batch (0 if none)."""
    def run() -> Tensor:
        tp, fp, _ = _confusion_counts(yTrue, yPred)
        return _ratio(tp, tf.add(tp, fp))

    return tidy(run)


def recall(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """True positives / actual positives over the batch (0 if none)."""
    def run() -> Tensor:
        tp, _, fn = _confusion_counts(yTrue, yPred)
        return _ratio(tp, tf.add(tp, fn))

    return tidy(run)


def binaryCrossentropy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return _binary_crossentropy_loss(yTrue, yPred)


def categoricalCrossentropy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return _categorical_crossentropy_loss(yTrue, yPred)


def sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return _sparse_categorical_crossentropy_loss(yTrue, yPred)


def sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """1 where the integer label equals argMax(yPred) over the last axis."""
    def run() -> Tensor:
        labels = tf.squeeze(yTrue, [yTrue.rank - 1]) if yTrue.rank == yPred.rank else yTrue
        predicted = tf.argMax(yPred, -1)
        if predicted.dtype != labels.dtype:
            predicted = tf.cast(predicted, labels.dtype)
        return tf.cast(tf.equal(labels, predicted), 'float32')

    return tidy(run)


def _in_top_k(yPred: Tensor, targets: Tensor, k: int) -> Tensor:
    """1 where fewer than k scores are strictly above the target's score."""
    classes = yPred.shape[-1]
    target_score = tf.sum(tf.mul(yPred, tf.oneHot(tf.cast(targets, 'int32'), classes)), -1,
                          True)
    above = tf.sum(tf.cast(tf.greater(yPred, target_score), 'int32'), -1)
    return tf.cast(tf.less(above, k), 'float32')


def topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k: int = 5) -> Tensor:
    """1 where the true class (argMax of yTrue) is among the k top scores."""
    return tidy(lambda: _in_top_k(yPred, tf.argMax(yTrue, -1), k))


def sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k: int = 5) -> Tensor:
    """1 where the integer label is among the k top scores."""
    def run() -> Tensor:
        labels = tf.squeeze(yTrue, [yTrue.rank - 1]) if yTrue.rank == yPred.rank else yTrue
        return _in_top_k(yPred, labels, k)

    return tidy(run)


def r2Score(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """Coefficient of determination over the whole batch: 1 - SSres / SStot."""
    def run() -> Tensor:
        residual = tf.sum(tf.square(tf.sub(yTrue, yPred)))
        total = tf.sum(tf.square(tf.sub(yTrue, tf.mean(yTrue))))
        return tf.sub(tf.scalar(1), tf.div(residual, total))

    return tidy(run)


meanSquaredError = _mean_squared_error
meanAbsoluteError = _mean_absolute_error
meanAbsolutePercentageError = _mean_absolute_percentage_error
cosineProximity = _cosine_proximity
MSE = mse = meanSquaredError
MAE = mae = meanAbsoluteError
MAPE = mape = meanAbsolutePercentageError
cosine = cosineProximity

METRICS: dict[str, MetricFn] = {
    'binaryAccuracy': binaryAccuracy,
    'categoricalAccuracy': categoricalAccuracy,
    'sparseCategoricalAccuracy': sparseCategoricalAccuracy,
    'topKCategoricalAccuracy': topKCategoricalAccuracy,
    'sparseTopKCategoricalAccuracy': sparseTopKCategoricalAccuracy,
    'precision': precision,
    'recall': recall,
    'binaryCrossentropy': binaryCrossentropy,
    'categoricalCrossentropy': categoricalCrossentropy,
    'sparseCategoricalCrossentropy': sparseCategoricalCrossentropy,
    'meanSquaredError': meanSquaredError,
    'meanAbsoluteError': meanAbsoluteError,
    'meanAbsolutePercentageError': meanAbsolutePercentageError,
    'cosineProximity': cosineProximity,
    'r2Score': r2Score,
}
# Names tfjs' metric lookup knows besides the full names.
_SHORT = {'mse': mse, 'MSE': MSE, 'mae': mae, 'MAE': MAE, 'mape': mape, 'MAPE': MAPE,
          'cosine': cosine}
_ALIASES = {'mse': 'meanSquaredError', 'MSE': 'meanSquaredError',
            'mae': 'meanAbsoluteError', 'MAE': 'meanAbsoluteError',
            'mape': 'meanAbsolutePercentageError', 'MAPE': 'meanAbsolutePercentageError',
            'cosine': 'cosineProximity', 'topK': 'topKCategoricalAccuracy',
            'r2': 'r2Score'}

metrics = Namespace('tf.metrics', {**METRICS, **_SHORT})


def getMetric(identifier: str | MetricFn) -> MetricFn:
    """The metric function for a compile identifier (other than the
    'accuracy'/'crossentropy' shorthands, which depend on the loss)."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str):
        name = resolve_name(identifier, METRICS, _ALIASES)
        if name is not None:
            return METRICS[name]
        hint = closest(snake_to_camel(identifier), METRICS)
        raise ValueError(f'Unknown metric {identifier}' +
                         (f'; did you mean {hint!r}?' if hint else ''))
    raise TypeError(f'a metric must be a string or a function, got {type(identifier).__name__}')


def getLossOrMetricName(fn: Any) -> str:
    """The name a loss or metric is logged under: a string stays as given; a
    function is named by its key in the loss table, then the metric table
    (first match, as tfjs), else by its __name__."""
    if isinstance(fn, str):
        return fn
    for table in (LOSSES, METRICS, _SHORT):
        for key, value in table.items():
            if value is fn:
                return key
    return getattr(fn, '__name__', type(fn).__name__)


__all__ = ['metrics', 'METRICS', 'getMetric', 'getLossOrMetricName', *METRICS]
