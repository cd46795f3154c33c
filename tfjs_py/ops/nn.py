"""Neural-network ops: softmax, logSoftmax, dropout, batchNorm (and its 2d/3d/4d
forms), localResponseNormalization."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .broadcast import broadcast_shape
from .elementwise import mul
from .op import cast_to, convert, op, run_kernel
from .random import uniform_draws
from .shape import reshape


def _last_axis(axis: int, rank: int, arg: str, fn: str) -> int:
    """tfjs only normalises over the last axis; anything else is refused."""
    if rank == 0:
        raise ValueError(f'{fn}: logits must have rank >= 1, got a scalar')
    if axis == -1 or axis == rank - 1:
        return rank - 1
    raise ValueError(f'{fn} along a non-last dimension is not supported (as in tfjs); logits '
                     f'has rank {rank} and {arg} is {axis}')


def _run_float(kernel: str, fn: str, x: Tensor, attrs: dict) -> Tensor:
    """Run a float32 kernel, casting an int32 or bool x first. tfjs refuses an
    int32 Tensor in softmax; here Python ints make int32 tensors
    (`tf.tensor1d([1, 2, 3])`), so they are accepted and cast."""
    if x.dtype == 'float32':
        return run_kernel(kernel, (x,), attrs)
    if x.dtype not in ('int32', 'bool'):
        raise TypeError(f'{fn}: logits must be numeric, got {x.dtype}')
    return ENGINE.tidy(lambda: run_kernel(kernel, (cast_to(x, 'float32'),), attrs))


@op
def softmax(logits: Any, dim: int = -1) -> Tensor:
    logits = convert(logits, 'logits', 'softmax', 'float32')
    return _run_float('Softmax', 'softmax', logits,
                      {'dim': _last_axis(dim, logits.rank, 'dim', 'softmax')})


@op
def logSoftmax(logits: Any, axis: int = -1) -> Tensor:
    logits = convert(logits, 'logits', 'logSoftmax', 'float32')
    return _run_float('LogSoftmax', 'logSoftmax', logits,
                      {'axis': _last_axis(axis, logits.rank, 'axis', 'logSoftmax')})


def _noise_shape(shape: tuple[int, ...], noise_shape: Any) -> tuple[int, ...]:
    """tfjs' getNoiseShape: None entries of a same-rank noiseShape take x's size."""
    if noise_shape is None:
        return shape
    dims = list(noise_shape)
    if len(dims) == len(shape):
        dims = [s if d is None else d for d, s in zip(dims, shape, strict=True)]
    if any(d is None or int(d) != d or d < 0 for d in dims):
        raise ValueError(f'dropout: noiseShape {list(noise_shape)} must hold non-negative '
                         f'integers (or None where it matches x of shape {list(shape)})')
    return tuple(int(d) for d in dims)


@op(chain=False)
def dropout(x: Any, rate: float, noiseShape: Any = None, seed: Any = None) -> Tensor:
    """Zero each element with probability `rate` and scale the rest by
    1 / (1 - rate), as tfjs: floor(u + keepProb) / keepProb with u uniform."""
    t = convert(x, 'x', 'dropout', 'float32')
    if t.dtype != 'float32':
        raise TypeError(f"dropout: x has to be a floating point tensor since it's going to be "
                        f"scaled, but got a {t.dtype} tensor instead")
    if not 0 <= rate < 1:
        raise ValueError(f'dropout: rate must be a float in the range [0, 1), but got {rate}')
    if rate == 0:
        return t.clone() if t is x else t
    shape = _noise_shape(t._shape, noiseShape)
    try:
        broadcast_shape(t._shape, shape)
    except ValueError:
        raise ValueError(f'dropout: noiseShape {list(shape)} does not broadcast with the shape '
                         f'of x {t.shape}') from None
    keep = np.float32(1 - rate)

    def multiplier() -> np.ndarray:
        return np.floor(uniform_draws(shape, seed).astype(np.float32) + keep) / keep

    # Drawn by the engine, so that a traced step draws a new mask at every replay.
    return ENGINE.tidy(lambda: mul(t, ENGINE.make_drawn(multiplier, 'float32')))


def _check_param(p: Tensor, name: str, x_shape: tuple[int, ...]) -> None:
    try:
        fits = broadcast_shape(x_shape, p._shape) == x_shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f'batchNorm: {name} of shape {p.shape} does not broadcast to the '
                         f'shape of x {list(x_shape)}')


@op
def batchNorm(x: Any, mean: Any, variance: Any, offset: Any = None, scale: Any = None,
              varianceEpsilon: float | None = 0.001) -> Tensor:
    """(x - mean) * scale / sqrt(variance + varianceEpsilon) + offset; mean,
    variance, offset and scale broadcast to x (usually shape [depth])."""
    fn = 'batchNorm'
    x = convert(x, 'x', fn)
    params = [convert(mean, 'mean', fn), convert(variance, 'variance', fn),
              None if offset is None else convert(offset, 'offset', fn),
              None if scale is None else convert(scale, 'scale', fn)]
    names = ('mean', 'variance', 'offset', 'scale')
    for name, p in zip(names[1:], params[1:], strict=True):
        if p is not None and p.rank != params[0].rank:
            raise ValueError(f'batchNorm: mean and {name} must have equal ranks, got '
                             f'{params[0].shape} and {p.shape}')
    for name, p in zip(names, params, strict=True):
        if p is not None:
            _check_param(p, name, x._shape)
    attrs = {'varianceEpsilon': 0.001 if varianceEpsilon is None else float(varianceEpsilon)}
    tensors = (x, *params)
    if all(t is None or t.dtype == 'float32' for t in tensors):
        return run_kernel('FusedBatchNorm', tensors, attrs)
    return ENGINE.tidy(lambda: run_kernel(
        'FusedBatchNorm', tuple(None if t is None else cast_to(t, 'float32') for t in tensors),
        attrs))


def _batch_norm_nd(rank: int, x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                   varianceEpsilon: float | None) -> Tensor:
    fn = f'batchNorm{rank}d'
    args = {'x': convert(x, 'x', fn), 'mean': convert(mean, 'mean', fn),
            'variance': convert(variance, 'variance', fn),
            'offset': None if offset is None else convert(offset, 'offset', fn),
            'scale': None if scale is None else convert(scale, 'scale', fn)}
    if args['x'].rank != rank:
        raise ValueError(f'{fn}: x must be rank {rank} but got rank {args["x"].rank}')
    for name in ('mean', 'variance', 'offset', 'scale'):
        p = args[name]
        if p is not None and p.rank not in (rank, 1):
            raise ValueError(f'{fn}: {name} must be rank {rank} or rank 1 but got rank '
                             f'{p.rank}')
    return batchNorm(args['x'], args['mean'], args['variance'], args['offset'],
                     args['scale'], varianceEpsilon)


@op(chain=False)
def batchNorm2d(x: Any, mean: Any, variance: Any, offset: Any = None, scale: Any = None,
                varianceEpsilon: float | None = 0.001) -> Tensor:
    return _batch_norm_nd(2, x, mean, variance, offset, scale, varianceEpsilon)


@op(chain=False)
def batchNorm3d(x: Any, mean: Any, variance: Any, offset: Any = None, scale: Any = None,
                varianceEpsilon: float | None = 0.001) -> Tensor:
    return _batch_norm_nd(3, x, mean, variance, offset, scale, varianceEpsilon)


@op(chain=False)
def batchNorm4d(x: Any, mean: Any, variance: Any, offset: Any = None, scale: Any = None,
                varianceEpsilon: float | None = 0.001) -> Tensor:
    return _batch_norm_nd(4, x, mean, variance, offset, scale, varianceEpsilon)


@op
def localResponseNormalization(x: Any, depthRadius: int = 5, bias: float = 1,
                               alpha: float = 1, beta: float = 0.5) -> Tensor:
    """x / (bias + alpha * sum of x^2 over channels within depthRadius)^beta,
    along the last axis of a rank-3 or rank-4 x."""
    fn = 'localResponseNormalization'
    x = convert(x, 'x', fn)
    if x.rank not in (3, 4):
        raise ValueError(f'{fn}: x must be rank 3 or 4 but got rank {x.rank}')
    if isinstance(depthRadius, bool) or int(depthRadius) != depthRadius or depthRadius < 0:
        raise ValueError(f'{fn}: depthRadius must be a non-negative integer but got '
                         f'depthRadius {depthRadius}')
    attrs = {'depthRadius': int(depthRadius), 'bias': float(bias), 'alpha': float(alpha),
             'beta': float(beta)}
    if x.rank == 4 and x.dtype == 'float32':
        return run_kernel('LRN', (x,), attrs)

    def run() -> Tensor:
        x4 = cast_to(x, 'float32')
        x4 = reshape(x4, (1, *x._shape)) if x.rank == 3 else x4
        out = run_kernel('LRN', (x4,), attrs)
        return reshape(out, x._shape) if x.rank == 3 else out

    return ENGINE.tidy(run)
