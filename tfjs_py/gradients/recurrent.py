"""Gradients of the fused recurrent kernels. The backward kernel runs the
recurrence once, back to the gradient of every step's gate pre-activations
dz ([time, batch, 4 * units], processing order, columns i, f, o, c); each
weight's gradient is then one matmul, computed only when asked for."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.creation import tensor
from ..ops.indexing import gather
from ..ops.linalg import matMul
from ..ops.op import run_kernel
from ..ops.reduce import sum_
from ..ops.shape import concat, expandDims, reshape, reverse, slice_, transpose
from .shape import _once


def _columns(units: int, to_kernel: bool):
    """Gate columns i, f, c, o (the weights) -> i, f, o, c (dz), or back."""
    u = units
    order = [*range(2 * u), *range(3 * u, 4 * u), *range(2 * u, 3 * u)]
    if to_kernel:
        order = sorted(range(4 * u), key=order.__getitem__)
    return tensor(order, None, 'int32')


@register_gradient('LSTMSequence')
def lstm_sequence_grad(dys, inputs, outputs, attrs):
    x, kernel, rec_kernel, bias, h0, c0, mask = inputs
    dh_seq, dh_last, dc_last = dys[:3]  # the saved gates and cells take no gradient
    h_seq, _, _, gates, cells = outputs
    batch, steps, features = x._shape
    units = rec_kernel._shape[0]
    backwards = attrs['goBackwards']
    result = _once(lambda: run_kernel(
        'LSTMSequenceGrad', (dh_seq, dh_last, dc_last, rec_kernel, c0, mask, gates, cells),
        attrs))
    dz = _once(lambda: reshape(result()[0], [steps * batch, 4 * units]))

    def to_kernel_columns(t):
        return gather(t, _columns(units, True), t.rank - 1)

    def d_x():
        dx = matMul(dz(), gather(kernel, _columns(units, False), 1), False, True)
        dx = transpose(reshape(dx, [steps, batch, features]), [1, 0, 2])
        return reverse(dx, 1) if backwards else dx

    def d_kernel():
        xt = transpose(reverse(x, 1) if backwards else x, [1, 0, 2])
        return to_kernel_columns(matMul(reshape(xt, [steps * batch, features]), dz(), True))

    def d_rec_kernel():
        # h before each step: h0, then the outputs of every step but the last.
        h_prev = expandDims(h0, 0)
        if steps > 1:
            earlier = slice_(transpose(h_seq, [1, 0, 2]), [0, 0, 0], [steps - 1, batch, units])
            h_prev = concat([h_prev, earlier], 0)
        return to_kernel_columns(matMul(reshape(h_prev, [steps * batch, units]), dz(), True))

    return (d_x, d_kernel, d_rec_kernel,
            None if bias is None else (lambda: to_kernel_columns(sum_(dz(), 0))),
            lambda: result()[1], lambda: result()[2], None)
