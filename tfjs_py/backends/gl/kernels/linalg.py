"""Linear-algebra GL kernels.

matMul packs both operands on the GPU into one RGBA texture of 4 values per
texel (gl/linalg/pack4.comp: A along K, B along N; transposes and batch
broadcasting are strides of that pass) and multiplies them with a
register-blocked shader (gl/linalg/matmul_packed.comp: an 8 x 8 output block
per invocation reads 16 texels per 4 steps of K for 256 multiply-adds; with
one value per texel a 4 x 4 block read 32 for 64). Products too small to
repay the two packing dispatches, skinny ones and K = 0 take one direct
dispatch over the R32F/R32I operands (gl/linalg/matmul.comp).

The same packed product serves convolutions: gl/linalg/im2col4.comp writes
windows straight into the packed layout (conv_im2col and the two
conv_backprop_*_im2col functions below, which the Conv kernels call).

The RGBA scratch textures come from the backend's texture pool; the packing
passes bind their RGBA image themselves before handing the dispatch to
program.dispatch, which binds R32F/R32I images.
"""

from __future__ import annotations

import weakref

import numpy as np

from ....engine.registry import register_kernel
from .. import program as program_module
from ..program import CompiledProgram, ProgramSpec
from ..textures import TexData, Texture
from .elementwise import binary, unary
from .shape import gather, transpose
from .util import groups, padded, rec, release, run_elementwise, shape_of, size_of, strides

# Tile sizes of gl/linalg/matmul_packed.comp (its BLOCK_ROWS, BLOCK_COLS and
# GROUP_COLS #defines), chosen by measurement with benchmarks/matmul.py.
BLOCK_ROWS = 8  # output rows per invocation
BLOCK_COLS = 2  # output columns per invocation, in texels of 4
GROUP_COLS = 8  # invocations of a work group side by side along N
LOCAL = 64  # invocations per work group
MIN_GROUPS = 16  # fewer work groups than this for an output: smaller ones,
MIN_LOCAL = 8  # down to this many invocations (llvmpipe's SIMD width)
IM2COL_RUN = 16  # texels each invocation of gl/linalg/im2col4.comp writes (its RUN)
# The direct shader wins below this many multiply-adds (no packing
# dispatches), and for outputs of fewer than SKINNY rows or columns, where
# packing the big operand costs as much as the product reads it.
DIRECT_MAX = 1 << 17
SKINNY = 4

_DIRECT_BLOCK = 4  # output rows and columns per invocation (gl/linalg/matmul.comp)
_DIRECT_LOCAL = 64
_PACKED_FORMAT = {'float32': 'RGBA32F', 'int32': 'RGBA32I', 'bool': 'RGBA32I'}


# -- the direct single-dispatch product ----------------------------------------------------
def _batch_view(backend, x, batch: tuple[int, ...]):
    """x itself when its batch axes are the full batch or a single one, else a
    copy broadcast to the full batch; and whether it advances per batch."""
    shape = shape_of(x)
    own = tuple(shape[:-2])
    if size_of(own) == 1:
        return x, False
    aligned = (1,) * (len(batch) - len(own)) + own
    if aligned == batch:
        return x, True
    target = list(batch) + list(shape[-2:])
    full = [1] * (len(target) - len(shape)) + list(shape)
    own_strides = strides(full)
    return gather(backend, x, target, [0] * len(target), [1] * len(target),
                  [0 if d == 1 else s for d, s in zip(full, own_strides, strict=True)]), True


def matmul_direct(backend, a, b, transpose_a: bool, transpose_b: bool):
    """One dispatch over the unpacked operands: each invocation a 4 x 4 block."""
    sa, sb = shape_of(a), shape_of(b)
    m, k = (sa[-1], sa[-2]) if transpose_a else (sa[-2], sa[-1])
    n = sb[-2] if transpose_b else sb[-1]
    batch = tuple(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
    out = backend.new_output(batch + (m, n), rec(a).dtype)
    va, step_a = _batch_view(backend, a, batch)
    vb, step_b = _batch_view(backend, b, batch)
    blocks_m, blocks_n = -(-m // _DIRECT_BLOCK), -(-n // _DIRECT_BLOCK)
    count = size_of(batch) * blocks_m * blocks_n if out.rec.size else 0
    uniforms = {
        'u_size': count, 'u_m': m, 'u_n': n, 'u_k': k, 'u_blocks_m': blocks_m,
        'u_blocks_n': blocks_n,
        'u_a_batch': m * k if step_a else 0,
        'u_a_row': 1 if transpose_a else k, 'u_a_col': m if transpose_a else 1,
        'u_b_batch': k * n if step_b else 0,
        'u_b_row': 1 if transpose_b else n, 'u_b_col': k if transpose_b else 1,
    }
    backend.run(ProgramSpec('linalg/matmul.comp', [rec(va), rec(vb)], [out.rec],
                            groups(count, _DIRECT_LOCAL), {}, uniforms,
                            local_size=_DIRECT_LOCAL))
    for view, x in ((va, a), (vb, b)):
        if view is not x:
            release(backend, view)
    return out


# -- packed operands -----------------------------------------------------------------------
class _Programs:
    """Per backend: the compiled packing programs (run on the owner thread
    outside backend.run, which binds one-channel images only)."""

    def __init__(self, backend) -> None:
        self.worker = backend.worker
        self.shift = backend.shift
        self.compiled: dict[tuple, CompiledProgram] = {}

    def get(self, spec: ProgramSpec) -> CompiledProgram:
        key = spec.key(self.shift)
        compiled = self.compiled.get(key)
        if compiled is None:
            compiled = self.worker.call(program_module.compile_program, *key)
            self.compiled[key] = compiled
        return compiled


_PROGRAMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _programs(backend) -> _Programs:
    programs = _PROGRAMS.get(backend)
    if programs is None:
        programs = _PROGRAMS[backend] = _Programs(backend)
    return programs


def _pack_on_owner(compiled: CompiledProgram, source: Texture, packed: Texture,
                   uniforms: dict, count: int) -> None:
    from OpenGL import GL

    GL.glBindImageTexture(0, packed.name, 0, GL.GL_FALSE, 0, GL.GL_WRITE_ONLY,
                          getattr(GL, 'GL_' + packed.fmt))
    program_module.dispatch(compiled, [source], [], uniforms, count)


def _pack_plan(x, batch: tuple[int, ...], transposed: bool, rows_out: int) -> dict:
    """The uniforms of pack4.comp packing x's matrices (transposed if asked)
    for the product over `batch`, rows padded with zeros to rows_out."""
    shape = shape_of(x)
    stored_rows, stored_cols = shape[-2:]
    own = tuple(shape[:-2])
    batch_shape, batch_strides = [], []
    if size_of(own) > 1:
        aligned = (1,) * (len(batch) - len(own)) + own
        matrix = stored_rows * stored_cols
        batch_shape = list(batch)
        batch_strides = [0 if d == 1 else s * matrix
                         for d, s in zip(aligned, strides(aligned), strict=True)]
    if transposed:
        return _matrix_plan(stored_cols, stored_rows, rows_out, 1, stored_cols, batch_shape,
                            batch_strides)
    return _matrix_plan(stored_rows, stored_cols, rows_out, stored_cols, 1, batch_shape,
                        batch_strides)


def _matrix_plan(rows: int, cols: int, rows_out: int, row_stride: int, col_stride: int,
                 batch_shape: list[int], batch_strides: list[int]) -> dict:
    """pack4.comp's uniforms for a rows x cols matrix at these strides (per
    batch of batch_shape, batch_strides apart; none for one matrix shared by
    every batch); u_size is its texel count and u_batch_texels its texels per
    batch (0 when one matrix serves every batch)."""
    cols_q = -(-cols // 4)
    return {
        'u_size': size_of(batch_shape) * rows_out * cols_q,
        'u_batch_texels': rows_out * cols_q if batch_shape else 0,
        'u_rows': rows, 'u_rows_out': rows_out, 'u_cols': cols, 'u_cols_q': cols_q,
        'u_row_stride': row_stride, 'u_col_stride': col_stride,
        'u_batch_rank': len(batch_shape), 'u_batch_shape': padded(batch_shape, 1),
        'u_batch_strides': padded(batch_strides),
    }


def _work_groups(blocks_m: int, blocks_n: int, batches: int) -> tuple[int, int, int, int]:
    """(local size, GROUP_COLS, work groups along M, along N): GROUP_COLS
    narrowed or widened so a work group's tile fits the output, and smaller
    work groups for small outputs, so that every core gets some."""
    local = LOCAL
    while True:
        cols = min(GROUP_COLS, local)
        while cols > 1 and cols // 2 >= blocks_n:
            cols //= 2
        while cols < local and local // cols >= 2 * blocks_m:
            cols *= 2
        groups_m, groups_n = -(-blocks_m // (local // cols)), -(-blocks_n // cols)
        if local <= MIN_LOCAL or batches * groups_m * groups_n >= MIN_GROUPS:
            return local, cols, groups_m, groups_n
        local //= 2


def _packed_product(backend, passes: list[tuple[ProgramSpec, dict]], m: int, n: int,
                    kq: int, batch: tuple[int, ...], dtype: str):
    """Run the two packing passes (A's, then B's: each a spec and uniforms
    with u_size and u_batch_texels) into one RGBA texture, then the blocked
    product of A (m x 4kq) and B (4kq x n) for every batch."""
    (spec_a, plan_a), (spec_b, plan_b) = passes
    b_offset = plan_a['u_size']
    programs = _programs(backend)
    # From the backend's pool, so tf.memory() counts it; a released texture is
    # handed out again only to commands queued after this product.
    packed = backend.pool.acquire_texels(b_offset + plan_b['u_size'], _PACKED_FORMAT[dtype])
    for spec, plan, offset in ((spec_a, plan_a, 0), (spec_b, plan_b, b_offset)):
        backend.worker.submit(_pack_on_owner, programs.get(spec), spec.inputs[0].texture,
                              packed, {**plan, 'u_dst_offset': offset}, spec.groups)
    out = backend.new_output(batch + (m, n), dtype)
    nq = -(-n // 4)
    block_cols = min(BLOCK_COLS, nq)
    block_rows = min(BLOCK_ROWS, m)
    blocks_m, blocks_n = -(-m // block_rows), -(-nq // block_cols)
    local, group_cols, groups_m, groups_n = _work_groups(blocks_m, blocks_n, size_of(batch))
    uniforms = {
        'u_m': m, 'u_n': n, 'u_kq': kq, 'u_nq': nq, 'u_blocks_m': blocks_m,
        'u_blocks_n': blocks_n, 'u_groups_m': groups_m, 'u_groups_n': groups_n,
        'u_a_batch': plan_a['u_batch_texels'], 'u_b_batch': plan_b['u_batch_texels'],
        'u_b_offset': b_offset,
    }
    defines = {'BLOCK_ROWS': block_rows, 'BLOCK_COLS': block_cols, 'GROUP_COLS': group_cols}
    backend.run(ProgramSpec('linalg/matmul_packed.comp', [TexData(packed, 0, dtype)],
                            [out.rec], size_of(batch) * groups_m * groups_n, defines, uniforms,
                            local_size=local))
    backend.pool.release(packed)
    return out


def _pack_pass(x, plan: dict) -> tuple[ProgramSpec, dict]:
    return ProgramSpec('linalg/pack4.comp', [rec(x)], [], groups(plan['u_size'])), plan


def matmul(backend, a, b, transpose_a: bool, transpose_b: bool):
    sa, sb = shape_of(a), shape_of(b)
    m, k = (sa[-1], sa[-2]) if transpose_a else (sa[-2], sa[-1])
    n = sb[-2] if transpose_b else sb[-1]
    batch = tuple(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
    if min(m, n) < SKINNY or not _worth_packing(size_of(batch) * m, n, k):
        return matmul_direct(backend, a, b, transpose_a, transpose_b)
    kq = -(-k // 4)
    passes = [_pack_pass(a, _pack_plan(a, batch, transpose_a, m)),
              _pack_pass(b, _pack_plan(b, batch, transpose_b, 4 * kq))]
    return _packed_product(backend, passes, m, n, kq, batch, rec(a).dtype)


def _conv_sizes(info) -> tuple[int, int, int]:
    """(output positions, filter taps * in channels, out channels)."""
    return (info.batch * size_of(info.out_size), size_of(info.filter_size) * info.in_channels,
            info.out_channels)


def _depth3(values: tuple[int, ...], fill: int) -> tuple[int, ...]:
    return (fill, *values) if len(values) == 2 else tuple(values)


def _im2col_pass(source, info, mode: str) -> tuple[ProgramSpec, dict]:
    """gl/linalg/im2col4.comp's pass packing the windows of `source` (x, or
    dy for mode 'GRAD_INPUT') into A, or A's transpose (mode 'TRANSPOSED')."""
    grad_input = mode == 'GRAD_INPUT'
    pos, src = (info.in_size, info.out_size) if grad_input else (info.out_size, info.in_size)
    chan = info.out_channels if grad_input else info.in_channels
    rows, k = info.batch * size_of(pos), size_of(info.filter_size) * chan
    uniforms = {'u_batch_texels': 0, 'u_k': k, 'u_rows': rows, 'u_chan': chan}
    for name, values, fill in (('src', src, 1), ('pos', pos, 1), ('f', info.filter_size, 1),
                               ('stride', info.strides, 1), ('dil', info.dilations, 1),
                               ('pad', info.pad_before, 0)):
        d, h, w = _depth3(values, fill)
        uniforms.update({f'u_{name}_d': d, f'u_{name}_h': h, f'u_{name}_w': w})
    transposed = mode == 'TRANSPOSED'
    cols_q = -(-(rows if transposed else k) // 4)
    lines = k if transposed else rows
    runs = -(-cols_q // IM2COL_RUN)
    uniforms.update(u_cols_q=cols_q, u_size=lines * cols_q, u_lines=lines, u_runs=runs)
    defines = {'RUN': IM2COL_RUN, **({mode: 1} if mode else {})}
    return ProgramSpec('linalg/im2col4.comp', [rec(source)], [], groups(lines * runs),
                       defines), uniforms


def _worth_packing(m: int, n: int, k: int) -> bool:
    return k > 0 and m * n * k > DIRECT_MAX and min(m, n) >= SKINNY


# The three products of a float32 Conv2D/Conv3D on channels-last data
# (info: the op's convInfo), for the Conv kernels to route their bulk through.
# Each returns a channels-last result, or None when the product is too small
# to repay the packing (the direct shaders should run then).
def conv_im2col(backend, x, w, info):
    """The convolution: windows of x (output positions x taps * in channels)
    times w seen as taps * in channels x out channels."""
    rows, k, n = _conv_sizes(info)
    if not _worth_packing(rows, n, k):
        return None
    kq = -(-k // 4)
    passes = [_im2col_pass(x, info, ''),
              _pack_pass(w, _matrix_plan(k, n, 4 * kq, n, 1, [], []))]
    out = _packed_product(backend, passes, rows, n, kq, (), 'float32')
    out.shape = (info.batch, *info.out_size, n)
    return out


def conv_backprop_filter_im2col(backend, x, dy, info):
    """The filter's gradient: the windows' transpose times dy seen as output
    positions x out channels; in the filter's shape."""
    rows, k, n = _conv_sizes(info)
    if not _worth_packing(k, n, rows):
        return None
    mq = -(-rows // 4)
    passes = [_im2col_pass(x, info, 'TRANSPOSED'),
              _pack_pass(dy, _matrix_plan(rows, n, 4 * mq, n, 1, [], []))]
    out = _packed_product(backend, passes, k, n, mq, (), 'float32')
    out.shape = (*info.filter_size, info.in_channels, n)
    return out


def conv_backprop_input_im2col(backend, dy, w, info):
    """The input's gradient: dy's windows over input positions (taps * out
    channels columns) times w with its channel axes swapped."""
    rows = info.batch * size_of(info.in_size)
    taps = size_of(info.filter_size)
    k, n = taps * info.out_channels, info.in_channels
    if not _worth_packing(rows, n, k):
        return None
    kq = -(-k // 4)
    rank = len(info.filter_size) + 2
    wt = transpose(backend, w, [*range(rank - 2), rank - 1, rank - 2])  # [*taps, out, in]
    passes = [_im2col_pass(dy, info, 'GRAD_INPUT'),
              _pack_pass(wt, _matrix_plan(k, n, 4 * kq, n, 1, [], []))]
    out = _packed_product(backend, passes, rows, n, kq, (), 'float32')
    release(backend, wt)
    out.shape = (info.batch, *info.in_size, n)
    return out


@register_kernel('BatchMatMul', 'gl')
def batch_mat_mul(backend, inputs, attrs):
    return matmul(backend, inputs[0], inputs[1], attrs['transposeA'], attrs['transposeB'])


_ACTIVATIONS = {'relu': 'Relu', 'relu6': 'Relu6', 'elu': 'Elu', 'sigmoid': 'Sigmoid'}


@register_kernel('_FusedMatMul', 'gl')
def fused_mat_mul(backend, inputs, attrs):
    a, b, bias, alpha = inputs
    z = matmul(backend, a, b, attrs['transposeA'], attrs['transposeB'])
    steps = []
    if bias is not None:
        steps.append(lambda t: binary(backend, 'Add', t, bias))
    activation = attrs['activation']
    if activation in _ACTIVATIONS:
        steps.append(lambda t: unary(backend, _ACTIVATIONS[activation], t))
    elif activation == 'leakyrelu':
        steps.append(lambda t: unary(backend, 'LeakyRelu', t,
                                     u_alpha=float(attrs['leakyreluAlpha'])))
    elif activation == 'prelu':
        steps.append(lambda t: binary(backend, 'Prelu', t, alpha))
    elif activation != 'linear':
        raise ValueError(f'unknown fused activation {activation!r}')
    for step in steps:
        previous = z
        z = step(previous)
        release(backend, previous)
    return z


@register_kernel('MatrixBandPart', 'gl')
def matrix_band_part(backend, inputs, attrs):
    x = inputs[0]
    m, n = x._shape[-2:]
    return run_elementwise(backend, 'linalg/band_part.comp', [x], x._shape, x.dtype, {},
                           {'u_m': m, 'u_n': n, 'u_lower': attrs['numLower'],
                            'u_upper': attrs['numUpper']})
