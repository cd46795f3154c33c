"""Random tensors: randomNormal, randomStandardNormal, truncatedNormal,
randomUniform, randomUniformInt, randomGamma, multinomial.

Values are drawn on the host with NumPy's PCG64 generator and uploaded, so a
seed gives the same values on every call and on every backend. A seed (a
number or a string, as in tfjs) is turned into the generator's key through
its JavaScript string form, so `5`, `5.0` and `'5'` are the same seed; 0 is a
seed like any other (tfjs treats 0 as "no seed" in some ops). Without a seed,
each call draws fresh values. The streams differ from tfjs' seedrandom/alea
ones: the same seed does not give tfjs' numbers, only the same distribution.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

import numpy as np

from ..dtypes import NUMPY_DTYPE
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor
from .creation import _check_shape
from .op import convert, op, run_kernel
from .shape import reshape

_UNSEEDED = np.random.default_rng()


def seed_key(seed: Any) -> int:
    """The PCG64 key of a tfjs seed: a hash of the seed's JavaScript string."""
    if isinstance(seed, bool) or not isinstance(seed, int | float | str | np.number):
        raise TypeError(f'a seed must be a number or a string, got {type(seed).__name__}')
    if isinstance(seed, float | np.floating) and float(seed).is_integer():
        seed = int(seed)
    text = seed if isinstance(seed, str) else str(seed)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], 'little')


def generator(seed: Any) -> np.random.Generator:
    if seed is None:
        return _UNSEEDED
    return np.random.Generator(np.random.PCG64(seed_key(seed)))


def uniform_draws(shape: tuple[int, ...], seed: Any) -> np.ndarray:
    """Uniform float64 values in [0, 1) (dropout's keep/drop draws)."""
    return generator(seed).random(shape)


def _finish(draw: Callable[[], np.ndarray], dtype: str) -> Tensor:
    """A tensor of float64 draws made by draw(), as the dtype (int32 rounds
    halves up, as tfjs). The engine calls draw, so that a traced step (engine/
    trace.py) draws again when it is replayed."""
    numpy_dtype = NUMPY_DTYPE[dtype]

    def values() -> np.ndarray:
        v = draw()
        return (np.floor(v + 0.5) if dtype == 'int32' else v).astype(numpy_dtype)

    return ENGINE.make_drawn(values, dtype)


def _numeric_dtype(dtype: str | None, fn: str) -> str:
    if dtype is None:
        return 'float32'
    if dtype not in ('float32', 'int32'):
        raise ValueError(f"{fn}: unsupported data type {dtype!r}; use 'float32' or 'int32'")
    return dtype


@op(chain=False)
def randomNormal(shape: Any, mean: float = 0, stdDev: float = 1, dtype: str | None = 'float32',
                 seed: Any = None) -> Tensor:
    dims = _check_shape(shape, 'randomNormal')
    dtype = _numeric_dtype(dtype, 'randomNormal')
    return _finish(lambda: mean + stdDev * generator(seed).standard_normal(dims), dtype)


@op(chain=False)
def randomStandardNormal(shape: Any, dtype: str | None = 'float32', seed: Any = None) -> Tensor:
    return randomNormal(shape, 0, 1, _numeric_dtype(dtype, 'randomStandardNormal'), seed)


@op(chain=False)
def truncatedNormal(shape: Any, mean: float = 0, stdDev: float = 1,
                    dtype: str | None = 'float32', seed: Any = None) -> Tensor:
    """Normal values, each redrawn until it lies within 2 standard deviations."""
    dims = _check_shape(shape, 'truncatedNormal')
    dtype = _numeric_dtype(dtype, 'truncatedNormal')

    def draw() -> np.ndarray:
        rng = generator(seed)
        z = rng.standard_normal(dims)
        outside = np.abs(z) > 2
        while outside.any():
            z[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(z) > 2
        return mean + stdDev * z

    return _finish(draw, dtype)


@op(chain=False)
def randomUniform(shape: Any, minval: float = 0, maxval: float = 1, dtype: str = 'float32',
                  seed: Any = None) -> Tensor:
    """Uniform values in [minval, maxval); int32 values are rounded, so they
    run from minval to maxval inclusive, as in tfjs."""
    dims = _check_shape(shape, 'randomUniform')
    dtype = _numeric_dtype(dtype, 'randomUniform')
    if dtype == 'int32' and maxval - minval <= 1:
        raise ValueError(f'randomUniform: the difference between {minval} - {maxval} <= 1 and '
                         f'dtype is not float')
    return _finish(lambda: minval + (maxval - minval) * generator(seed).random(dims), dtype)


@op(chain=False)
def randomUniformInt(shape: Any, minval: int, maxval: int, seed: Any = None) -> Tensor:
    return randomUniform(shape, minval, maxval, 'int32', seed)


@op(chain=False)
def randomGamma(shape: Any, alpha: float, beta: float = 1, dtype: str = 'float32',
                seed: Any = None) -> Tensor:
    """Gamma values with shape alpha and rate beta (mean alpha / beta)."""
    dims = _check_shape(shape, 'randomGamma')
    dtype = _numeric_dtype(dtype, 'randomGamma')
    beta = 1 if beta is None else beta
    if not alpha > 0 or not beta > 0:
        raise ValueError(f'randomGamma: alpha and beta must be positive, got alpha={alpha} '
                         f'and beta={beta}')
    return _finish(lambda: generator(seed).gamma(alpha, 1 / beta, dims), dtype)


@op(chain=False)
def multinomial(logits: Any, numSamples: int, seed: Any = None,
                normalized: bool = False) -> Tensor:
    """numSamples event indices (int32) per row of logits (rank 1 or 2), drawn
    from softmax(logits), or from logits itself when normalized."""
    logits = convert(logits, 'logits', 'multinomial')
    if logits.size < 2:
        raise ValueError(f'multinomial: you need at least 2 outcomes, but got {logits.size}')
    if logits.rank > 2:
        raise ValueError(f'multinomial: rank of probabilities must be 1 or 2, but is '
                         f'{logits.rank}')
    if isinstance(numSamples, bool) or int(numSamples) != numSamples or numSamples < 0:
        raise ValueError(f'multinomial: numSamples must be a non-negative integer, got '
                         f'{numSamples}')
    key = secrets.randbits(64) if seed is None else seed_key(seed)
    attrs = {'numSamples': int(numSamples), 'seed': key, 'normalized': bool(normalized)}
    if logits.rank == 2:
        return run_kernel('Multinomial', (logits,), attrs)
    return ENGINE.tidy(lambda: reshape(
        run_kernel('Multinomial', (reshape(logits, (1, logits.size)),), attrs),
        (int(numSamples),)))

