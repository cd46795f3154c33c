"""Pooling GL kernels (gl/pool/pool2d.comp): MaxPool and AvgPool."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .conv import from_channels_last, to_channels_last, window_uniforms
from .util import groups, rec, release


def _pool(backend, name: str, x, info):
    xl = to_channels_last(backend, x, info)
    # max pooling keeps int32 and bool; the average is float32
    dtype = x.dtype if name == 'MaxPool' else 'float32'
    out = backend.new_output((info.batch, *info.out_size, info.in_channels), dtype)
    n = out.rec.size
    backend.run(ProgramSpec('pool/pool2d.comp', [rec(xl)], [out.rec], groups(n),
                            {f'OP_{name}': 1},
                            {'u_size': n, 'u_c': info.in_channels, **window_uniforms(info)}))
    if xl is not x:
        release(backend, xl)
    return from_channels_last(backend, out, info)


@register_kernel('MaxPool', 'gl')
def max_pool(backend, inputs, attrs):
    return _pool(backend, 'MaxPool', inputs[0], attrs['convInfo'])


@register_kernel('AvgPool', 'gl')
def avg_pool(backend, inputs, attrs):
    return _pool(backend, 'AvgPool', inputs[0], attrs['convInfo'])


def _pool_grad(backend, name: str, dy, x, info):
    dyl = to_channels_last(backend, dy, info)
    xl = to_channels_last(backend, x, info)
    out = backend.new_output((info.batch, *info.in_size, info.in_channels), 'float32')
    n = out.rec.size
    backend.run(ProgramSpec('pool/pool2d_grad.comp', [rec(dyl), rec(xl)], [out.rec], groups(n),
                            {f'OP_{name}': 1},
                            {'u_size': n, 'u_c': info.in_channels, **window_uniforms(info)}))
    for view, t in ((dyl, dy), (xl, x)):
        if view is not t:
            release(backend, view)
    return from_channels_last(backend, out, info)


@register_kernel('MaxPoolGrad', 'gl')
def max_pool_grad(backend, inputs, attrs):
    return _pool_grad(backend, 'MaxPool', inputs[0], inputs[1], attrs['convInfo'])


@register_kernel('AvgPoolGrad', 'gl')
def avg_pool_grad(backend, inputs, attrs):
    return _pool_grad(backend, 'AvgPool', inputs[0], inputs[1], attrs['convInfo'])
