"""Neural-network GL kernels: Softmax and LogSoftmax over the last axis
(gl/nn/softmax.comp), LRN and its gradient (gl/nn/lrn.comp), FusedBatchNorm
and categoricalCrossentropy's fused forward and gradient from elementwise and
reduce passes."""

from __future__ import annotations

import numpy as np

from ....engine.registry import register_kernel
from ..backend import GlOutput
from ..program import ProgramSpec
from .elementwise import binary, unary, where
from .reduce import reduce
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


def _scalar(backend, value: float) -> GlOutput:
    record, _ = backend.write(np.array(value, np.float32))
    return GlOutput(record, ())


@register_kernel('_CategoricalCrossentropy', 'gl')
def categorical_crossentropy(backend, inputs, attrs):
    """[loss, q, c] as the Sum, RealDiv, ClipByValue, Log, Multiply and Neg
    kernels compute them (see the cpu kernel)."""
    t, p = inputs
    last = (len(p._shape) - 1,)
    eps = float(attrs['epsilon'])
    total = reduce(backend, 'Sum', p, last, True, 'float32')
    q = binary(backend, 'RealDiv', p, total)
    c = unary(backend, 'ClipByValue', q, u_alpha=eps, u_beta=1 - eps)
    log_c = unary(backend, 'Log', c)
    product = binary(backend, 'Multiply', t, log_c)
    summed = reduce(backend, 'Sum', product, last, False, 'float32')
    loss = unary(backend, 'Neg', summed)
    for made in (total, log_c, product, summed):
        release(backend, made)
    return [loss, q, c]


@register_kernel('_CategoricalCrossentropyGrad', 'gl')
def categorical_crossentropy_grad(backend, inputs, attrs):
    """The batch mean's gradient for the output or its logits (see the cpu kernel)."""
    dy, t, p, q, c = inputs
    last = (len(p._shape) - 1,)
    made = [_scalar(backend, -1 / (p.size // p._shape[-1])), _scalar(backend, 0.0)]
    step, zero = made

    def keep(out: GlOutput) -> GlOutput:
        made.append(out)
        return out

    scale = keep(binary(backend, 'Multiply', dy, step))
    passed = keep(binary(backend, 'Equal', c, q))
    if attrs['logits']:
        tm = keep(where(backend, passed, t, zero))
        spread = keep(binary(backend, 'Multiply', p, keep(reduce(backend, 'Sum', tm, last, True,
                                                                  'float32'))))
        out = binary(backend, 'Multiply', keep(binary(backend, 'Sub', tm, spread)), scale)
    else:
        g = keep(where(backend, passed, keep(binary(backend, 'RealDiv', t, c)), zero))
        dot = keep(reduce(backend, 'Sum', keep(binary(backend, 'Multiply', g, q)), last, True,
                          'float32'))
        centered = keep(binary(backend, 'Sub', g, dot))
        total = keep(reduce(backend, 'Sum', p, last, True, 'float32'))
        out = binary(backend, 'Multiply', keep(binary(backend, 'RealDiv', centered, total)),
                     scale)
    for intermediate in made:
        release(backend, intermediate)
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
