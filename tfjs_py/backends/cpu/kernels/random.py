"""Random NumPy kernels: Multinomial."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from .nn import softmax_last_axis
from .util import arr


def _first_above(cdf: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Per row b and draw s: the first event e with draws[b, s] < cdf[b, e],
    or cdf.shape[1] when there is none.

    One searchsorted for every row: each row's cdf (made non-decreasing, which
    keeps the first index above any draw) is shifted into its own band.
    """
    rows, events = cdf.shape
    if cdf.size == 0:
        return np.full(draws.shape, events, np.int32)
    cdf = np.maximum.accumulate(cdf.astype(np.float64), axis=1)
    low = min(0.0, float(np.nanmin(cdf)))
    band = max(1.0, float(np.nanmax(cdf))) - low + 1
    shift = (np.arange(rows) * band)[:, None]
    flat = np.nan_to_num(cdf - low + shift, nan=np.inf).ravel()
    found = np.searchsorted(flat, (draws - low + shift).ravel(), side='right')
    found = found.reshape(draws.shape) - np.arange(rows)[:, None] * events
    return np.clip(found, 0, events).astype(np.int32)


@register_kernel('Multinomial', 'cpu')
def multinomial(backend, inputs, attrs):
    logits = arr(inputs[0])
    probs = logits.astype(np.float32) if attrs['normalized'] else softmax_last_axis(logits)
    # The last event takes every draw that no earlier cumulative sum exceeds.
    cdf = np.cumsum(probs[:, :-1], axis=1, dtype=np.float32)
    rng = np.random.Generator(np.random.PCG64(attrs['seed']))
    draws = rng.random((probs.shape[0], attrs['numSamples']))
    return _first_above(cdf, draws)
