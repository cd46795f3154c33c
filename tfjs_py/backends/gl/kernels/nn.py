"""Neural-network GL kernels: Softmax and LogSoftmax over the last axis
(gl/nn/softmax.comp), LRN and its gradient (gl/nn/lrn.comp), FusedBatchNorm
from elementwise passes."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from ..backend import GlOutput
from ..program import ProgramSpec
from .elementwise import binary, unary
from .util import groups, rec, release, run_elementwise


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


@register_kernel('FusedBatchNorm', 'gl')
def fused_batch_norm(backend, inputs, attrs):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, as elementwise passes."""
    x, mean, variance, offset, scale = inputs
    eps_rec, _ = backend.write(np.array(attrs['varianceEpsilon'], np.float32))
    eps = GlOutput(eps_rec, ())
    shifted = binary(backend, 'Sub', x, mean)
    padded = binary(backend, 'Add', variance, eps)
    inv = unary(backend, 'Rsqrt', padded)
    out = binary(backend, 'Multiply', shifted, inv)
    for t in (eps, shifted, padded, inv):
        release(backend, t)
    for name, t in (('Multiply', scale), ('Add', offset)):
        if t is not None:
            previous = out
            out = binary(backend, name, previous, t)
            release(backend, previous)
    return out


def _lrn(backend, inputs, attrs, grad: bool):
    x = inputs[0]
    depth = x._shape[-1] if x._shape else 1
    uniforms = {'u_depth': depth, 'u_radius': int(attrs['depthRadius']),
                'u_bias': float(attrs['bias']), 'u_alpha': float(attrs['alpha']),
                'u_beta': float(attrs['beta'])}
    return run_elementwise(backend, 'nn/lrn.comp', list(inputs), x._shape, 'float32',
                           {'GRAD': 1} if grad else {}, uniforms)


@register_kernel('LRN', 'gl')
def lrn(backend, inputs, attrs):
    return _lrn(backend, inputs, attrs, grad=False)


@register_kernel('LRNGrad', 'gl')
def lrn_grad(backend, inputs, attrs):
    return _lrn(backend, inputs, attrs, grad=True)
