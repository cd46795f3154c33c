"""Pooling GL kernels (gl/pool/): MaxPool, AvgPool, their 3-D forms, their
gradients and MaxPoolWithArgmax. One shader per pass serves 2-D and 3-D."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .conv import from_channels_last, to_channels_last, window_uniforms
from .elementwise import copy
from .util import groups, rec, release


def _window_pass(backend, x, info, dtype: str, defines: dict[str, int], **uniforms: int):
    """One pool.comp pass over channels-last x: an output per window and channel."""
    out = backend.new_output((info.batch, *info.out_size, info.in_channels), dtype)
    n = out.rec.size
    backend.run(ProgramSpec('pool/pool.comp', [rec(x)], [out.rec], groups(n), defines,
                            {'u_size': n, 'u_c': info.in_channels, **window_uniforms(info),
                             **uniforms}))
    return out


def _pool(backend, name: str, x, info):
    xl = to_channels_last(backend, x, info)
    # max pooling keeps int32 and bool; the average is float32
    dtype = x.dtype if name == 'MaxPool' else 'float32'
    out = _window_pass(backend, xl, info, dtype, {f'OP_{name}': 1})
    if xl is not x:
        release(backend, xl)
    return from_channels_last(backend, out, info)


@register_kernel('MaxPool', 'gl')
def max_pool(backend, inputs, attrs):
    info = attrs['convInfo']
    # tfjs returns the input itself for a 1x1 filter that keeps the shape,
    # so NaN stays NaN there (a window max skips it)
    if all(k == 1 for k in info.filter_size) and tuple(info.in_size) == tuple(info.out_size):
        return copy(backend, inputs[0])
    return _pool(backend, 'MaxPool', inputs[0], info)


@register_kernel('MaxPool3D', 'gl')
def max_pool3d(backend, inputs, attrs):
    return _pool(backend, 'MaxPool', inputs[0], attrs['convInfo'])


@register_kernel('AvgPool', 'gl')
@register_kernel('AvgPool3D', 'gl')
def avg_pool(backend, inputs, attrs):
    return _pool(backend, 'AvgPool', inputs[0], attrs['convInfo'])


@register_kernel('MaxPoolWithArgmax', 'gl')
def max_pool_with_argmax(backend, inputs, attrs):
    """The max (as MaxPool) and, in a second pass, the flat NHWC index of the
    cell it came from (its offset in the batch entry unless includeBatchInIndex)."""
    x, info = inputs[0], attrs['convInfo']
    values = _pool(backend, 'MaxPool', x, info)
    indexes = _window_pass(backend, x, info, 'int32', {'OP_MaxPool': 1, 'ARGMAX': 1},
                           u_include_batch=int(bool(attrs.get('includeBatchInIndex'))))
    return [values, indexes]


def _pool_grad(backend, name: str, dy, x, info, last_wins: bool = False,
               relu_masked: bool = False):
    dyl = to_channels_last(backend, dy, info)
    inputs = [dyl]
    temps = []
    defines = {f'OP_{name}': 1}
    if name == 'MaxPool':
        # where each window's max is (one pass), then each cell gathers its dy
        xl = to_channels_last(backend, x, info)
        argmax = _window_pass(backend, xl, info, 'int32',
                              {'OP_MaxPool': 1, 'ARGMAX': 1,
                               **({'LAST_WINS': 1} if last_wins else {})},
                              u_include_batch=1)
        inputs.append(argmax)
        temps.append(argmax)
        if relu_masked:
            inputs.append(xl)  # the gradient times step(x)
            defines['RELU_MASKED'] = 1
        if xl is not x:
            temps.append(xl)
    out = backend.new_output((info.batch, *info.in_size, info.in_channels), 'float32')
    n = out.rec.size
    backend.run(ProgramSpec('pool/pool_grad.comp', [rec(t) for t in inputs], [out.rec],
                            groups(n), defines,
                            {'u_size': n, 'u_c': info.in_channels, **window_uniforms(info)}))
    for view in temps:
        release(backend, view)
    if dyl is not dy:
        release(backend, dyl)
    return from_channels_last(backend, out, info)


@register_kernel('MaxPoolGrad', 'gl')
def max_pool_grad(backend, inputs, attrs):
    return _pool_grad(backend, 'MaxPool', inputs[0], inputs[1], attrs['convInfo'],
                      relu_masked=bool(attrs.get('reluMasked')))


@register_kernel('MaxPool3DGrad', 'gl')
def max_pool3d_grad(backend, inputs, attrs):
    # tfjs' 3-D positions compare with >=: the last largest cell takes the gradient
    return _pool_grad(backend, 'MaxPool', inputs[0], inputs[1], attrs['convInfo'],
                      last_wins=True)


@register_kernel('AvgPoolGrad', 'gl')
@register_kernel('AvgPool3DGrad', 'gl')
def avg_pool_grad(backend, inputs, attrs):
    return _pool_grad(backend, 'AvgPool', inputs[0], inputs[1], attrs['convInfo'])
