"""Neural-network NumPy kernels: Softmax, LogSoftmax, FusedBatchNorm, LRN, LRNGrad,
and categoricalCrossentropy's fused forward and gradient."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .elementwise import clip_values, pick
from .reduce import sum_values
from .util import arr, quiet


def softmax_last_axis(x: np.ndarray) -> np.ndarray:
    """exp(x - max) / sum over the last axis, in float32 (also used by Multinomial)."""
    if x.size == 0:
        return np.zeros(x.shape, np.float32)
    x = x.astype(np.float32, copy=False)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@register_kernel('Softmax', 'cpu')
def softmax(backend, inputs, attrs):
    return softmax_last_axis(arr(inputs[0]))


@register_kernel('_CategoricalCrossentropy', 'cpu')
def categorical_crossentropy(backend, inputs, attrs):
    """[loss, q, c]: q = output / its sum over the last axis, c = q clipped to
    [epsilon, 1 - epsilon], loss = -sum(target * log(c)) over that axis. The
    Sum, RealDiv, ClipByValue, Log, Multiply and Neg kernels' own operations,
    without a kernel call (and its tensors) between them."""
    t, p = arr(inputs[0]), arr(inputs[1])
    eps = attrs['epsilon']
    last = (p.ndim - 1,)
    with quiet():
        q = np.divide(p, sum_values(p, last, True))
        c = clip_values(q, eps, 1 - eps)
        loss = np.negative(sum_values(np.multiply(t, np.log(c)), last, False))
    return [loss, q, c]


@register_kernel('_CategoricalCrossentropyGrad', 'cpu')
def categorical_crossentropy_grad(backend, inputs, attrs):
    """The gradient of mean(loss) (over the samples) for `output`, or for the
    logits whose softmax `output` is (attrs['logits']); dy is the mean's
    upstream gradient. The composed kernels' operations, in their order."""
    dy, t, p, q, c = (arr(x) for x in inputs)
    last = (p.ndim - 1,)
    zero = np.float32(0)
    with quiet():
        scale = np.multiply(dy, np.float32(-1 / (p.size // p.shape[-1])))
        passed = np.equal(c, q)
        if attrs['logits']:
            tm = pick(passed, t, zero)
            return np.multiply(np.subtract(tm, np.multiply(p, sum_values(tm, last, True))), scale)
        g = pick(passed, np.divide(t, c), zero)
        centered = np.subtract(g, sum_values(np.multiply(g, q), last, True))
        return np.multiply(np.divide(centered, sum_values(p, last, True)), scale)


@register_kernel('LogSoftmax', 'cpu')
def log_softmax(backend, inputs, attrs):
    x = arr(inputs[0]).astype(np.float32, copy=False)
    if x.size == 0:
        return np.zeros(x.shape, np.float32)
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@register_kernel('FusedBatchNorm', 'cpu')
def fused_batch_norm(backend, inputs, attrs):
    x, mean, variance, offset, scale = (None if t is None else arr(t) for t in inputs)
    out = (x - mean) / np.sqrt(variance + np.float32(attrs['varianceEpsilon']))
    if scale is not None:
        out = out * scale
    if offset is not None:
        out = out + offset
    # mean/variance only broadcast up to x's shape (the op checks it), so the
    # result already has x's shape.
    return out.astype(np.float32, copy=False)


def _channel_window_sum(values: np.ndarray, radius: int) -> np.ndarray:
    """For each channel c of the last axis, the sum over channels
    [c - radius, c + radius] clipped to the axis, accumulated in float64."""
    channels = values.shape[-1]
    out = values.astype(np.float64)
    for d in range(1, min(radius, channels - 1) + 1):
        out[..., d:] += values[..., :-d]
        out[..., :-d] += values[..., d:]
    return out


def _lrn_norm(x: np.ndarray, attrs: dict) -> np.ndarray:
    """bias + alpha * (sum of x^2 over the channel window), in float64."""
    squares = np.square(x.astype(np.float64))
    return attrs['bias'] + attrs['alpha'] * _channel_window_sum(squares, attrs['depthRadius'])


@register_kernel('LRN', 'cpu')
def lrn(backend, inputs, attrs):
    x = arr(inputs[0])
    return (x * _lrn_norm(x, attrs) ** -attrs['beta']).astype(np.float32)


@register_kernel('LRNGrad', 'cpu')
def lrn_grad(backend, inputs, attrs):
    # y_o = x_o * n_o^-beta with n_o = bias + alpha * sum_window(x^2), so
    # dx_k = dy_k * n_k^-beta - 2 alpha beta x_k * sum_{o near k} dy_o y_o / n_o.
    # The window is symmetric (k is near o iff o is near k), so the inner sum
    # is the same window sum as the forward pass.
    x, y, dy = (arr(t).astype(np.float64) for t in inputs)
    beta = attrs['beta']
    norm = _lrn_norm(x, attrs)
    spread = _channel_window_sum(dy * y / norm, attrs['depthRadius'])
    dx = dy * norm ** -beta - 2 * attrs['alpha'] * beta * x * spread
    return dx.astype(np.float32)
