"""Selection GL kernels: TopK (gl/select/) and Unique.

TopK finds each row's k best indices, best first, and gathers their values.
A short row ranks every value against the row in one pass (a value outside
the top k stops counting early) and scatters the k best to their places; a
long row goes through bitonic networks (a pass per compare-exchange step)
that sort blocks of about k indices and halve pairs of blocks to their best,
about n (log2 k)^2 comparisons in all.

Unique's output size depends on the data, so, as in tfjs' WebGL backend, it
reads the values back and runs the cpu kernel on them; that also serves
string tensors, whose values live on the host here.
"""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..backend import GlOutput
from ..program import ProgramSpec
from .shape import gather_batched, on_host, slice_
from .util import groups, rec, release

_RANK_MAX = 256  # longest rows TopK ranks; the networks win beyond (llvmpipe)


def _rank(backend, x, rows: int, n: int, k: int) -> GlOutput:
    """[rows, k] indices, best first, by ranking each value against its row."""
    out = backend.new_output((rows, k), 'int32')
    count = rows * n if k else 0
    backend.run(ProgramSpec('select/topk_rank.comp', [rec(x)], [out.rec], groups(count), {},
                            {'u_size': count, 'u_n': n, 'u_k': k}))
    return out


def _bitonic(backend, x, rows: int, n: int, k: int) -> GlOutput:
    """[rows, k] indices, best first, from bitonic networks: each row's indices
    are sorted in blocks of `block` (the power of two from k), then pairs of
    blocks are halved to their best `block` and those sorted, until one block
    is left."""
    width = 1 << (n - 1).bit_length()
    block = min(width, max(2, 1 << (k - 1).bit_length()))
    current = None

    def step(defines: dict, rows_width: int, size: int, stride: int) -> None:
        nonlocal current
        out = backend.new_output((rows, rows_width), 'int32')
        count = rows * rows_width
        inputs = [rec(x)] if current is None else [rec(x), current.rec]
        backend.run(ProgramSpec('select/topk_bitonic.comp', inputs, [out.rec], groups(count),
                                defines if current is not None else {'INIT': 1},
                                {'u_size': count, 'u_n': n, 'u_width': rows_width,
                                 'u_block': size, 'u_stride': stride}))
        if current is not None:
            release(backend, current)
        current = out

    def merge(rows_width: int, size: int) -> None:
        stride = size // 2
        while stride:
            step({}, rows_width, size, stride)
            stride //= 2

    size = 2
    while size <= block:
        merge(width, size)
        size *= 2
    while width > block:
        width //= 2
        step({'HALVE': 1}, width, block, 0)
        merge(width, block)
    best = slice_(backend, current, [0, 0], [rows, k])
    release(backend, current)
    return best


@register_kernel('TopK', 'gl')
def top_k(backend, inputs, attrs):
    x = inputs[0]
    k = attrs['k']
    shape = x._shape
    n = shape[-1]
    rows = x.size // n if n else 0
    out_shape = shape[:-1] + (k,)
    # Ranking costs up to n^2 comparisons a row (fewer for small k) in one
    # pass, the networks about n (log2 k)^2 in a few dozen passes.
    if n > _RANK_MAX and k and rows:
        indices = _bitonic(backend, x, rows, n, k)
    else:
        indices = _rank(backend, x, rows, n, k)
    if not attrs['sorted'] and k > 1:
        ranked = indices
        indices = backend.new_output((rows, k), 'int32')
        backend.run(ProgramSpec('select/topk_order.comp', [ranked.rec], [indices.rec],
                                groups(rows * k), {}, {'u_size': rows * k, 'u_k': k}))
        release(backend, ranked)
    values = gather_batched(backend, GlOutput(rec(x), (rows, n)), indices, 1, 1)
    return [GlOutput(values.rec, out_shape), GlOutput(indices.rec, out_shape)]


@register_kernel('Unique', 'gl')
def unique(backend, inputs, attrs):
    return on_host(backend, 'Unique', inputs, attrs)
