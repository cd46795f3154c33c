"""Selection GL kernels: TopK (gl/select/) and Unique.

TopK ranks every value against its row in one pass (a value outside the top k
stops counting early), scatters the k best indices to their places, and
gathers their values. Unique's output size depends on the data, so, as in
tfjs' WebGL backend, it reads the values back and runs the cpu algorithm on
them; that also serves string tensors, whose values live on the host here.
"""

from __future__ import annotations

from types import SimpleNamespace

from ....engine.registry import register_kernel
from ...cpu.kernels.shape import unique as cpu_unique
from ..backend import GlOutput
from ..program import ProgramSpec
from .shape import gather_batched
from .util import groups, rec, release


@register_kernel('TopK', 'gl')
def top_k(backend, inputs, attrs):
    x = inputs[0]
    k = attrs['k']
    shape = x._shape
    n = shape[-1]
    rows = x.size // n if n else 0
    out_shape = shape[:-1] + (k,)
    indices = backend.new_output((rows, k), 'int32')
    count = rows * n if k else 0
    backend.run(ProgramSpec('select/topk_rank.comp', [rec(x)], [indices.rec], groups(count), {},
                            {'u_size': count, 'u_n': n, 'u_k': k}))
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
    x = inputs[0]
    values = backend.read_sync(rec(x), x._shape, x.dtype)
    # the cpu kernel reads a tensor as t.dataId.rec (its ndarray) and t._shape
    host = SimpleNamespace(dataId=SimpleNamespace(rec=values), _shape=values.shape)
    outs = []
    for result in cpu_unique(None, (host,), attrs):
        data, _ = backend.write(result)
        outs.append(GlOutput(data, result.shape))
    return outs
