"""Random GL kernels: Multinomial (gl/random/multinomial.comp).

The uniform draws come from the host, from the generator the cpu kernel
seeds with the same key, so a seed gives the cpu backend's samples; only
the softmax and the search through each row's cumulative sums run on the GPU.
The draws are rounded down to float32 for upload, which keeps every
comparison with a float32 cumulative sum as it was in float64. (A softmax
computed here may differ from NumPy's in the last bit, so with logits a draw
within one float32 rounding of a boundary could pick the neighbouring event.)
"""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from ..backend import GlOutput
from ..program import ProgramSpec
from .nn import softmax
from .util import groups, rec, release


def _draws_below(draws: np.ndarray) -> np.ndarray:
    """float64 values rounded down to float32: d < c <=> rounded < c for any float32 c."""
    rounded = draws.astype(np.float32)
    above = rounded > draws
    rounded[above] = np.nextafter(rounded[above], np.float32(-np.inf))
    return rounded


@register_kernel('Multinomial', 'gl')
def multinomial(backend, inputs, attrs):
    logits = inputs[0]
    rows, events = logits._shape
    samples = attrs['numSamples']
    rng = np.random.Generator(np.random.PCG64(attrs['seed']))  # the cpu kernel's stream
    draws_rec, _ = backend.write(_draws_below(rng.random((rows, samples))))
    draws = GlOutput(draws_rec, (rows, samples))
    probs = logits if attrs['normalized'] else softmax(backend, (logits,), {})
    out = backend.new_output((rows, samples), 'int32')
    n = rows * samples
    backend.run(ProgramSpec('random/multinomial.comp', [rec(probs), draws.rec], [out.rec],
                            groups(n), {}, {'u_size': n, 'u_samples': samples,
                                            'u_events': events}))
    release(backend, draws)
    if probs is not logits:
        release(backend, probs)
    return out
