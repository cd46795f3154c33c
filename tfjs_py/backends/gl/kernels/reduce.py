"""Reduction GL kernels (gl/reduce/): rows of the reduced values, reduced in
passes of at most _BLOCK values per invocation once rows get long."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .elementwise import copy
from .shape import transpose
from .util import groups, rec, release, run_elementwise, shape_of, size_of

_BLOCK = 256  # values one invocation reduces in a pass over a long row
_SINGLE_PASS = 2048  # rows up to this long are reduced in one pass


def _rows(backend, x, axes: tuple[int, ...]):
    """x with the reduced axes moved last (a transposed copy when they are not
    already last), the kept shape, and the row length."""
    shape = shape_of(x)
    axes = tuple(sorted(a % len(shape) for a in axes)) if shape else ()
    kept = [d for d in range(len(shape)) if d not in axes]
    inner = size_of([shape[a] for a in axes])
    moved = x
    if list(axes) != list(range(len(shape) - len(axes), len(shape))):
        moved = transpose(backend, x, kept + list(axes))
    return moved, axes, inner


def _out_shape(shape: tuple[int, ...], axes: tuple[int, ...], keep_dims: bool) -> tuple[int, ...]:
    if keep_dims:
        return tuple(1 if d in axes else n for d, n in enumerate(shape))
    return tuple(n for d, n in enumerate(shape) if d not in axes)


def reduce(backend, name: str, x, axes: tuple[int, ...], keep_dims: bool, dtype: str):
    shape = shape_of(x)
    leading = tuple(sorted(a % len(shape) for a in axes)) if shape else ()
    if leading and len(leading) < len(shape) and leading == tuple(range(len(leading))):
        # Reducing the leading axes (a bias gradient, a mean over the batch):
        # read the columns in place instead of transposing them to rows.
        moved, axes, inner = x, leading, size_of(shape[:len(leading)])
        row_stride, step = 1, size_of(shape[len(leading):])
    else:
        moved, axes, inner = _rows(backend, x, axes)
        row_stride, step = inner, 1
    out_shape = _out_shape(shape, axes, keep_dims)
    outer = size_of(out_shape)
    current, length = moved, inner
    while True:
        last = length <= _SINGLE_PASS
        block = max(length, 1) if last else _BLOCK
        per_row = -(-length // block) if length else 1
        out = backend.new_output(out_shape if last else (outer, per_row), dtype)
        op = name if last or name != 'Mean' else 'Sum'
        n = outer * per_row
        backend.run(ProgramSpec('reduce/reduce.comp', [rec(current)], [out.rec],
                                groups(n) if n else 0, {f'OP_{op}': 1},
                                {'u_size': n, 'u_inner': length, 'u_block': block,
                                 'u_out_inner': per_row, 'u_row_stride': row_stride,
                                 'u_step': step,
                                 'u_scale': 1.0 / inner if inner else 0.0}))
        if current is not x:
            release(backend, current)
        if last:
            return out
        current, length = out, per_row
        row_stride, step = per_row, 1


def _register(name: str) -> None:
    @register_kernel(name, 'gl')
    def kernel(backend, inputs, attrs):
        x = inputs[0]
        if name in ('All', 'Any'):
            dtype = 'bool'
        elif name == 'Mean':
            dtype = 'float32'
        elif name in ('Sum', 'Prod') and x.dtype == 'bool':
            dtype = 'int32'
        else:
            dtype = x.dtype
        return reduce(backend, name, x, tuple(attrs['axis']), attrs['keepDims'], dtype)


for _name in ('Sum', 'Mean', 'Prod', 'Max', 'Min', 'All', 'Any'):
    _register(_name)


def _register_arg(name: str) -> None:
    @register_kernel(name, 'gl')
    def kernel(backend, inputs, attrs):
        x = inputs[0]
        axis = attrs['axis']
        axis = axis[0] if isinstance(axis, list | tuple) else axis
        moved, axes, inner = _rows(backend, x, (axis,))
        out = backend.new_output(_out_shape(x._shape, axes, False), 'int32')
        n = out.rec.size if inner else 0
        backend.run(ProgramSpec('reduce/arg_reduce.comp', [rec(moved)], [out.rec], groups(n),
                                {f'OP_{name}': 1}, {'u_size': n, 'u_inner': inner}))
        if moved is not x:
            release(backend, moved)
        return out


_register_arg('ArgMax')
_register_arg('ArgMin')


def _register_cumulative(name: str) -> None:
    @register_kernel(name, 'gl')
    def kernel(backend, inputs, attrs):
        x = inputs[0]
        dtype = 'int32' if x.dtype == 'bool' else x.dtype
        shape = x._shape
        if not shape:
            return copy(backend, x)
        axis = attrs['axis'] % len(shape)
        perm = [d for d in range(len(shape)) if d != axis] + [axis]
        moved = x if axis == len(shape) - 1 else transpose(backend, x, perm)
        inner = shape[axis]
        out = backend.new_output(shape_of(moved), dtype)
        rows = out.rec.size // inner if inner else 0
        defines = {f'OP_{name}': 1}
        if attrs['exclusive']:
            defines['EXCLUSIVE'] = 1
        if attrs['reverse']:
            defines['REVERSE'] = 1
        backend.run(ProgramSpec('reduce/cumulative.comp', [rec(moved)], [out.rec], groups(rows),
                                defines, {'u_size': rows, 'u_inner': inner}))
        if moved is x:
            return out
        release(backend, moved)
        back = transpose(backend, out, [perm.index(d) for d in range(len(shape))])
        release(backend, out)
        return back


_register_cumulative('Cumsum')
_register_cumulative('Cumprod')


@register_kernel('UnsortedSegmentSum', 'gl')
def unsorted_segment_sum(backend, inputs, attrs):
    x, ids = inputs
    dtype = 'int32' if x.dtype == 'bool' else x.dtype
    rows = ids.size
    inner = size_of(x._shape[len(ids._shape):])
    return run_elementwise(backend, 'reduce/segment_sum.comp', [x, ids],
                           (attrs['numSegments'],) + x._shape[len(ids._shape):], dtype, {},
                           {'u_rows': rows, 'u_inner': inner})
