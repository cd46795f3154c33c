"""Losses: tfjs-core's tf.losses.* (weights and reductions) and the
per-sample loss functions that `model.compile({'loss': ...})` names.

The two families differ as in tfjs: `tf.losses.meanSquaredError(labels,
predictions, weights, reduction)` returns a reduced loss, while the compile
loss 'meanSquaredError' maps (yTrue, yPred) to one loss per sample (the mean
over the last axis). `getLoss` resolves compile names in tfjs' camelCase, the
Keras snake_case spelling and Keras' short names ('mse', 'mae', ...).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from ._naming import Namespace, camel_to_snake, closest, snake_to_camel
from .engine.engine import ENGINE
from .engine.tensor import Tensor
from .engine_api import tidy
from .ops.op import OPS, convert

tf = Namespace('tf', OPS)

LossFn = Callable[[Tensor, Tensor], Tensor]


def epsilon() -> float:
    """The fuzz factor of tfjs-layers' losses and metrics."""
    return 1e-7


class Reduction(enum.IntEnum):
    """How tf.losses.* reduce the weighted per-element losses (tfjs values)."""

    NONE = 0
    MEAN = 1
    SUM = 2
    SUM_BY_NONZERO_WEIGHTS = 3


def _reduction(value: Any) -> Reduction:
    if isinstance(value, Reduction):
        return value
    if isinstance(value, str):
        key = camel_to_snake(value).upper()
        if key in Reduction.__members__:
            return Reduction[key]
    elif isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2, 3):
        return Reduction(value)
    raise ValueError(f'Unknown reduction: {value!r}; expected one of '
                     f'{", ".join(Reduction.__members__)}')


def _assert_same_shape(a: Tensor, b: Tensor, fn: str, names: tuple[str, str]) -> None:
    if a.shape != b.shape:
        raise ValueError(f'Error in {fn}: shapes of {names[0]} {a.shape} and {names[1]} '
                         f'{b.shape} must match')


# -- tf.losses (tfjs-core) ----------------------------------------------------------
def computeWeightedLoss(losses: Any, weights: Any = None,
                        reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """Multiply losses by weights (broadcast) and reduce them."""
    reduction = _reduction(reduction)
    losses = convert(losses, 'losses', 'computeWeightedLoss')
    if weights is not None:
        weights = convert(weights, 'weights', 'computeWeightedLoss')

    def run() -> Tensor:
        weighted = losses if weights is None else tf.mul(losses, weights)
        if reduction == Reduction.NONE:
            return weighted
        if reduction == Reduction.SUM:
            return tf.sum(weighted)
        if reduction == Reduction.MEAN:
            if weights is None:
                return tf.mean(weighted)
            factor = losses.size / weights.size
            result = tf.div(tf.sum(weighted), tf.sum(weights))
            return tf.div(result, tf.scalar(factor)) if factor > 1 else result
        if weights is None:
            return tf.div(tf.sum(weighted), tf.scalar(losses.size))
        spread = tf.mul(weights, tf.ones(losses.shape))
        nonzero = tf.cast(tf.sum(tf.notEqual(spread, tf.scalar(0))), 'float32')
        return tf.div(tf.sum(weighted), nonzero)

    return tidy(run)


def _core_loss(fn: str, labels: Any, predictions: Any, names: tuple[str, str],
               per_element: Callable[[Tensor, Tensor], Tensor], weights: Any,
               reduction: Any) -> Tensor:
    labels = convert(labels, names[0], fn)
    predictions = convert(predictions, names[1], fn)
    if weights is not None:
        weights = convert(weights, 'weights', fn)
    _assert_same_shape(labels, predictions, fn, names)
    reduction = _reduction(reduction)
    return tidy(lambda: computeWeightedLoss(per_element(labels, predictions), weights,
                                            reduction))


def absoluteDifference(labels: Any, predictions: Any, weights: Any = None,
                       reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    return _core_loss('absoluteDifference', labels, predictions, ('labels', 'predictions'),
                      lambda y, p: tf.abs(tf.sub(y, p)), weights, reduction)


def meanSquaredError(labels: Any, predictions: Any, weights: Any = None,
                     reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    return _core_loss('meanSquaredError', labels, predictions, ('labels', 'predictions'),
                      lambda y, p: tf.square(tf.sub(y, p)), weights, reduction)


def cosineDistance(labels: Any, predictions: Any, axis: int, weights: Any = None,
                   reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """1 - sum(labels * predictions, axis) (inputs are expected unit-normalized)."""
    return _core_loss('cosineDistance', labels, predictions, ('labels', 'predictions'),
                      lambda y, p: tf.sub(tf.scalar(1), tf.sum(tf.mul(y, p), axis, True)),
                      weights, reduction)


def hingeLoss(labels: Any, predictions: Any, weights: Any = None,
              reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """Labels in {0, 1} are mapped to {-1, 1}; loss = relu(1 - y * p)."""
    def per_element(y: Tensor, p: Tensor) -> Tensor:
        signed = tf.sub(tf.mul(tf.scalar(2), y), tf.scalar(1))
        return tf.relu(tf.sub(tf.scalar(1), tf.mul(signed, p)))

    return _core_loss('hingeLoss', labels, predictions, ('labels', 'predictions'),
                      per_element, weights, reduction)


def huberLoss(labels: Any, predictions: Any, weights: Any = None, delta: float = 1.0,
              reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    def per_element(y: Tensor, p: Tensor) -> Tensor:
        d = tf.scalar(delta)
        error = tf.abs(tf.sub(p, y))
        quadratic = tf.minimum(error, d)
        linear = tf.sub(error, quadratic)
        return tf.add(tf.mul(tf.scalar(0.5), tf.square(quadratic)), tf.mul(d, linear))

    return _core_loss('huberLoss', labels, predictions, ('labels', 'predictions'),
                      per_element, weights, reduction)


def logLoss(labels: Any, predictions: Any, weights: Any = None, epsilon: float = 1e-7,
            reduction: Any = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    def per_element(y: Tensor, p: Tensor) -> Tensor:
        one, eps = tf.scalar(1), tf.scalar(epsilon)
        l1 = tf.neg(tf.mul(y, tf.log(tf.add(p, eps))))
        l2 = tf.mul(tf.sub(one, y), tf.log(tf.add(tf.sub(one, p), eps)))
        return tf.sub(l1, l2)

    return _core_loss('logLoss', labels, predictions, ('labels', 'predictions'),
                      per_element, weights, reduction)


def sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor) -> Tensor:
    """max(x, 0) - x * z + log(1 + exp(-|x|)), stable for large |x|."""
    if labels.shape != logits.shape:
        raise ValueError(f'logits and labels must have the same shape, but got shapes '
                         f'{labels.shape} and {logits.shape}')
    return tidy(lambda: tf.add(tf.sub(tf.relu(logits), tf.mul(logits, labels)),
                               tf.log1p(tf.exp(tf.neg(tf.abs(logits))))))


def sigmoidCrossEntropy(multiClassLabels: Any, logits: Any, weights: Any = None,
                        labelSmoothing: float = 0, reduction: Any =
                        Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    def per_element(y: Tensor, x: Tensor) -> Tensor:
        if labelSmoothing > 0:
            ls = tf.scalar(labelSmoothing)
            y = tf.add(tf.mul(y, tf.sub(tf.scalar(1), ls)), tf.mul(tf.scalar(0.5), ls))
        return sigmoidCrossEntropyWithLogits(y, x)

    return _core_loss('sigmoidCrossEntropy', multiClassLabels, logits,
                      ('multiClassLabels', 'logits'), per_element, weights, reduction)


def softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, dim: int = -1) -> Tensor:
    """-sum(labels * logSoftmax(logits), dim); only the last axis, as in tfjs."""
    if dim == -1:
        dim = logits.rank - 1
    if dim != logits.rank - 1:
        raise ValueError('Softmax cross entropy along a non-last dimension is not yet '
                         f'supported. Labels / logits was rank {logits.rank} and dim was {dim}')

    def forward(labels: Tensor, logits: Tensor, save: Callable) -> dict[str, Any]:
        log_probs = tf.sub(tf.cast(logits, 'float32'), tf.logSumExp(logits, [dim], True))
        save([labels, log_probs])
        value = tf.sum(tf.neg(tf.mul(log_probs, labels)), [dim])

        def grad(dy: Tensor, saved: list[Tensor]) -> list[Tensor]:
            lab, logp = saved
            dy_kept = tf.reshape(dy, [*dy.shape[:dim], 1, *dy.shape[dim:]])
            return [tf.mul(dy_kept, tf.neg(logp)),
                    tf.mul(dy_kept, tf.sub(tf.exp(logp), tf.cast(lab, 'float32')))]

        return {'value': value, 'gradFunc': grad}

    return tf.customGrad(forward)(labels, logits)


def softmaxCrossEntropy(onehotLabels: Any, logits: Any, weights: Any = None,
                        labelSmoothing: float = 0, reduction: Any =
                        Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    def per_element(y: Tensor, x: Tensor) -> Tensor:
        if labelSmoothing > 0:
            ls = tf.scalar(labelSmoothing)
            classes = tf.scalar(y.shape[-1])
            y = tf.add(tf.mul(y, tf.sub(tf.scalar(1), ls)), tf.div(ls, classes))
        return softmaxCrossEntropyWithLogits(y, x)

    return _core_loss('softmaxCrossEntropy', onehotLabels, logits, ('onehotLabels', 'logits'),
                      per_element, weights, reduction)


# -- per-sample losses for compile (tfjs-layers) ----------------------------------------
LOSSES: dict[str, LossFn] = {}


def _layer_loss(name: str) -> Callable[[LossFn], LossFn]:
    def register(fn: LossFn) -> LossFn:
        fn.__name__ = fn.__qualname__ = name
        LOSSES[name] = fn
        return fn

    return register


def l2Normalize(x: Tensor, axis: int) -> Tensor:
    def run() -> Tensor:
        xf = x if x.dtype == 'float32' else tf.cast(x, 'float32')
        square_sum = tf.sum(tf.square(xf), axis, True)
        norm = tf.sqrt(tf.maximum(square_sum, tf.fill(square_sum.shape, epsilon())))
        return tf.div(xf, norm)

    return tidy(run)


@_layer_loss('meanSquaredError')
def _mean_squared_error(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return tidy(lambda: tf.mean(tf.square(tf.sub(yPred, yTrue)), -1))


@_layer_loss('meanAbsoluteError')
def _mean_absolute_error(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return tidy(lambda: tf.mean(tf.abs(tf.sub(yPred, yTrue)), -1))


@_layer_loss('meanAbsolutePercentageError')
def _mean_absolute_percentage_error(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        diff = tf.sub(yTrue, yPred)
        clipped = tf.clipByValue(tf.abs(yTrue), epsilon(), math.inf)
        return tf.mul(100, tf.mean(tf.abs(tf.div(diff, clipped)), -1))

    return tidy(run)


@_layer_loss('meanSquaredLogarithmicError')
def _mean_squared_logarithmic_error(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        first = tf.log(tf.add(1, tf.clipByValue(yPred, epsilon(), math.inf)))
        second = tf.log(tf.add(1, tf.clipByValue(yTrue, epsilon(), math.inf)))
        return tf.mean(tf.square(tf.sub(first, second)), -1)

    return tidy(run)


@_layer_loss('squaredHinge')
def _squared_hinge(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return tidy(lambda: tf.mean(tf.square(
        tf.maximum(0, tf.sub(1, tf.mul(yTrue, yPred)))), -1))


@_layer_loss('hinge')
def _hinge(yTrue: Tensor, yPred: Tensor) -> Tensor:
    return tidy(lambda: tf.mean(tf.maximum(0, tf.sub(1, tf.mul(yTrue, yPred))), -1))


@_layer_loss('categoricalHinge')
def _categorical_hinge(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        pos = tf.sum(tf.mul(yTrue, yPred), -1)
        neg = tf.max(tf.mul(tf.sub(1, yTrue), yPred), -1)
        return tf.maximum(0, tf.add(1, tf.sub(neg, pos)))

    return tidy(run)


@_layer_loss('logcosh')
def _logcosh(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        diff = tf.sub(yPred, yTrue)
        value = tf.sub(tf.add(diff, tf.softplus(tf.mul(-2, diff))), math.log(2))
        return tf.mean(value, -1)

    return tidy(run)


def _crossentropy_terms(target: Tensor, output: Tensor,
                        fromLogits: bool = False) -> tuple[Tensor, Tensor, Tensor]:
    """categoricalCrossentropy's steps: (q, c, loss) with q the output
    renormalized over the last axis (or softmaxed if fromLogits), c = q
    clipped to [eps, 1 - eps] and loss = -sum(target * log(c)) over that axis."""
    op = OPS  # the ops themselves: fit runs this every batch
    if fromLogits:
        q = op['softmax'](output)
    else:
        q = op['div'](output, op['sum'](output, output.rank - 1, True))
    c = op['clipByValue'](q, epsilon(), 1 - epsilon())
    if target.dtype != 'float32':
        target = op['cast'](target, 'float32')
    loss = op['neg'](op['sum'](op['mul'](target, op['log'](c)), q.rank - 1))
    return q, c, loss


def categoricalCrossentropy(target: Tensor, output: Tensor, fromLogits: bool = False) -> Tensor:
    """-sum(target * log(output)) over the last axis; output is renormalized
    (or softmaxed if fromLogits) and clipped to [eps, 1 - eps]."""
    return tidy(lambda: _crossentropy_terms(target, output, fromLogits)[2])


def sparseCategoricalCrossentropy(target: Tensor, output: Tensor,
                                  fromLogits: bool = False) -> Tensor:
    """categoricalCrossentropy with integer class targets."""
    def run() -> Tensor:
        flat = tf.cast(tf.floor(tf.reshape(target, [-1])), 'int32')
        out = tf.clipByValue(output, epsilon(), 1 - epsilon())
        one_hot = tf.reshape(tf.oneHot(flat, out.shape[-1]), out.shape)
        return categoricalCrossentropy(one_hot, out, fromLogits)

    return tidy(run)


def binaryCrossentropy(yTrue: Tensor, yPred: Tensor) -> Tensor:
    """Mean over the last axis of the sigmoid cross entropy of clipped yPred."""
    def run() -> Tensor:
        y = tf.clipByValue(yPred, epsilon(), 1 - epsilon())
        logits = tf.log(tf.div(y, tf.sub(1, y)))
        return tf.mean(sigmoidCrossEntropyWithLogits(yTrue, logits), -1)

    return tidy(run)


_layer_loss('categoricalCrossentropy')(categoricalCrossentropy)
_layer_loss('sparseCategoricalCrossentropy')(sparseCategoricalCrossentropy)
_layer_loss('binaryCrossentropy')(binaryCrossentropy)


@_layer_loss('kullbackLeiblerDivergence')
def _kullback_leibler_divergence(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        clipped_true = tf.clipByValue(yTrue, epsilon(), 1)
        clipped_pred = tf.clipByValue(yPred, epsilon(), 1)
        return tf.sum(tf.mul(yTrue, tf.log(tf.div(clipped_true, clipped_pred))), -1)

    return tidy(run)


@_layer_loss('poisson')
def _poisson(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        log_pred = tf.log(tf.add(epsilon(), yPred))
        return tf.mean(tf.sub(yPred, tf.mul(yTrue, log_pred)), -1)

    return tidy(run)


@_layer_loss('cosineProximity')
def _cosine_proximity(yTrue: Tensor, yPred: Tensor) -> Tensor:
    def run() -> Tensor:
        product = tf.mul(l2Normalize(yTrue, -1), l2Normalize(yPred, -1))
        return tf.neg(tf.sum(product, -1))

    return tidy(run)


# -- training's batch mean, with a closed-form gradient -------------------------------
# fit minimizes mean(loss(yTrue, yPred)) over the batch. For the built-in losses
# below, the value is the loss function's own (tfjs' kernels), and the gradient is
# one custom node instead of the chain rule through every step: 3 kernels instead
# of 8 for meanSquaredError, 10 instead of 33 for categoricalCrossentropy (its
# forward's renormalized and clipped outputs are kept for the gradient). When
# yPred is the softmax of logits recorded on the tape, the crossentropy node
# takes the logits and its gradient is theirs, in 7 kernels (the softmax's
# own gradient, 4 more, is never run).


class _BatchMean(NamedTuple):
    # (yTrue, yPred) -> (per-sample losses, tensors the gradient reuses)
    forward: Callable[[Tensor, Tensor], tuple[Tensor, tuple[Tensor, ...]]]
    # (dy, yTrue, yPred, *reused) -> thunks for yTrue and yPred
    grad: Callable[..., list[Any]]
    # The same for the logits of a softmax yPred, or None.
    logits_grad: Callable[..., list[Any]] | None = None


_BATCH_MEAN: dict[Any, _BatchMean] = {}


def _softmax_logits(yPred: Tensor) -> Tensor | None:
    """The logits yPred is the softmax (over its last axis) of, as recorded
    on the one tape recording now; None otherwise."""
    node = ENGINE.recorded_producer(yPred)
    if node is None or node[0] != 'Softmax' or node[3]['dim'] != yPred.rank - 1:
        return None
    return node[1][0]


def batch_mean_loss(fn: LossFn, yTrue: Tensor, yPred: Tensor) -> Tensor:
    """mean(fn(yTrue, yPred)): the training loss of one output."""
    entry = _BATCH_MEAN.get(fn)
    if (entry is None or yTrue._shape != yPred._shape or yPred.dtype != 'float32'
            or yTrue.dtype != 'float32' or 0 in yPred._shape):
        return tf.mean(fn(yTrue, yPred))
    logits = None if entry.logits_grad is None else _softmax_logits(yPred)
    grad = entry.grad if logits is None else entry.logits_grad

    def forward(t: Tensor, x: Tensor, save: Callable) -> dict[str, Any]:
        per_sample, reused = tidy(lambda: entry.forward(t, yPred))
        save([t, yPred, *reused])
        value = OPS['mean'](per_sample)
        per_sample.dispose()
        return {'value': value, 'gradFunc': lambda dy, saved: grad(dy, *saved)}

    return ENGINE.custom_grad(forward)(yTrue, yPred if logits is None else logits)


def _mse_batch_mean_grad(dy: Tensor, t: Tensor, p: Tensor) -> list[Any]:
    # d/dp of mean((p - t)^2) = 2 (p - t) / size
    def d_pred() -> Tensor:
        return tf.mul(tf.sub(p, t), tf.mul(dy, 2 / p.size))

    return [lambda: tf.neg(d_pred()), d_pred]


def _cce_forward(t: Tensor, p: Tensor) -> tuple[Tensor, tuple[Tensor, ...]]:
    # categoricalCrossentropy's steps in one kernel (the same operations).
    loss, q, c = ENGINE.run_kernel('_CategoricalCrossentropy', (t, p), {'epsilon': epsilon()})
    return loss, (q, c)


def _cce_grads(dy: Tensor, t: Tensor, output: Tensor, q: Tensor, c: Tensor,
               logits: bool) -> list[Any]:
    """Thunks for the target (-log(c) dy / n, composed: fit never needs it) and
    for the output, or the logits of a softmax output, in one kernel:
    dL/dq = -t / (c n) where the clip passes q (c == q), 0 elsewhere; through
    q = output / sum(output): (g - sum(g q)) / sum(output). With output =
    softmax(z), q is softmax(z) too, and dL/dz = (p sum(t m) - t m) dy / n, m
    the clip's pass mask."""
    def d_target() -> Tensor:
        scale = OPS['mul'](dy, -1 / (output.size // output._shape[-1]))
        return OPS['mul'](OPS['log'](c), scale)

    return [d_target, lambda: ENGINE.run_kernel('_CategoricalCrossentropyGrad',
                                                (dy, t, output, q, c), {'logits': logits})]


_BATCH_MEAN[LOSSES['meanSquaredError']] = _BatchMean(
    lambda t, p: (LOSSES['meanSquaredError'](t, p), ()), _mse_batch_mean_grad)
_BATCH_MEAN[LOSSES['categoricalCrossentropy']] = _BatchMean(
    _cce_forward, partial(_cce_grads, logits=False), partial(_cce_grads, logits=True))


# tf.losses: tfjs-core's losses (weights and reductions), then the per-sample
# losses compile accepts, which tfjs keeps internal and Keras exports as
# keras.losses.* (tf.losses.poisson(yTrue, yPred) as keras.losses.poisson).
# meanSquaredError is tfjs-core's: a tfjs port calls it with weights.
_CORE_LOSSES = {
    'absoluteDifference': absoluteDifference, 'computeWeightedLoss': computeWeightedLoss,
    'cosineDistance': cosineDistance, 'hingeLoss': hingeLoss, 'huberLoss': huberLoss,
    'logLoss': logLoss, 'meanSquaredError': meanSquaredError,
    'sigmoidCrossEntropy': sigmoidCrossEntropy, 'softmaxCrossEntropy': softmaxCrossEntropy,
    'Reduction': Reduction}
losses = Namespace('tf.losses', {**LOSSES, **_CORE_LOSSES})


# Short names: tfjs exports them as functions, Keras accepts them as strings.
ALIASES: dict[str, str] = {
    'mse': 'meanSquaredError', 'MSE': 'meanSquaredError',
    'mae': 'meanAbsoluteError', 'MAE': 'meanAbsoluteError',
    'mape': 'meanAbsolutePercentageError', 'MAPE': 'meanAbsolutePercentageError',
    'msle': 'meanSquaredLogarithmicError', 'MSLE': 'meanSquaredLogarithmicError',
    'kld': 'kullbackLeiblerDivergence', 'KLD': 'kullbackLeiblerDivergence',
    'cosine': 'cosineProximity', 'logCosh': 'logcosh',
}


def resolve_name(identifier: str, table: dict[str, Any], aliases: dict[str, str]) -> str | None:
    """The table key for a camelCase, snake_case or short name, or None."""
    for key in (identifier, snake_to_camel(identifier)):
        if key in table:
            return key
        if key in aliases:
            return aliases[key]
    return None


def getLoss(identifier: str | LossFn) -> LossFn:
    """The per-sample loss function for a compile identifier (a function is
    returned as it is)."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str):
        name = resolve_name(identifier, LOSSES, ALIASES)
        if name is not None:
            return LOSSES[name]
        message = f'Unknown loss {identifier}'
        if 'softmaxcrossentropy' in identifier.lower().replace('_', ''):
            message += ('. Use "categoricalCrossentropy" as the string name for '
                        'tf.losses.softmaxCrossEntropy')
        else:
            hint = closest(snake_to_camel(identifier), LOSSES)
            if hint:
                message += f'; did you mean {hint!r}?'
        raise ValueError(message)
    raise TypeError(f'a loss must be a string or a function, got {type(identifier).__name__}')


__all__ = ['Reduction', 'losses', 'LOSSES', 'getLoss', 'computeWeightedLoss',
           'absoluteDifference', 'cosineDistance', 'hingeLoss', 'huberLoss', 'logLoss',
           'meanSquaredError', 'sigmoidCrossEntropy', 'softmaxCrossEntropy',
           'sigmoidCrossEntropyWithLogits', 'softmaxCrossEntropyWithLogits',
           'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy',
           'l2Normalize', 'epsilon']
