"""Neural-network GL kernels: Softmax and LogSoftmax over the last axis."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .util import groups, rec


def _softmax(backend, x, log: bool):
    out = backend.new_output(x._shape, 'float32')
    inner = x._shape[-1] if x._shape else 1
    rows = out.rec.size // inner if inner else 0
    backend.run(ProgramSpec('nn/softmax.comp', [rec(x)], [out.rec], groups(rows),
                            {'LOG': 1} if log else {}, {'u_size': rows, 'u_inner': inner}))
    return out


@register_kernel('Softmax', 'gl')
def softmax(backend, inputs, attrs):
    return _softmax(backend, inputs[0], log=False)


@register_kernel('LogSoftmax', 'gl')
def log_softmax(backend, inputs, attrs):
    return _softmax(backend, inputs[0], log=True)
