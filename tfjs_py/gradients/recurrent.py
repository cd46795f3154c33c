"""Gradients of the fused recurrent kernels. The backward kernel runs the
recurrence once, back to the gradient of every step's gate pre-activations
dz ([4 * units, time, batch], processing order, rows i, f, c, o); the weights'
gradients are then one matmul with the saved per-step inputs, and the input's
another, each computed only when asked for."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.linalg import matMul
from ..ops.op import run_kernel
from ..ops.shape import reshape, reverse, slice_, transpose
from .shape import _once


@register_gradient('LSTMSequence')
def lstm_sequence_grad(dys, inputs, outputs, attrs):
    x, kernel, rec_kernel, bias, h0, c0, mask = inputs
    dh_seq, dh_last, dc_last = dys[:3]  # the saved tensors take no gradient
    _, _, _, gates, cells, step_inputs = outputs
    batch, steps, features = x._shape
    units = rec_kernel._shape[0]
    backwards = attrs['goBackwards']
    result = _once(lambda: run_kernel(
        'LSTMSequenceGrad', (dh_seq, dh_last, dc_last, rec_kernel, c0, mask, gates, cells),
        attrs))
    dz = _once(lambda: reshape(result()[0], [4 * units, steps * batch]))
    # [x_t; h_prev; 1] . dz^T: the kernel's, recurrent kernel's and bias' gradients
    # stacked, as rows 0..features, features..features + units, and the last.
    weights = _once(lambda: matMul(
        reshape(step_inputs, [features + units + 1, steps * batch]), dz(), False, True))

    def rows(begin: int, size: int):
        return slice_(weights(), [begin, 0], [size, 4 * units])

    def d_x():
        dx = matMul(dz(), kernel, True, True)
        dx = transpose(reshape(dx, [steps, batch, features]), [1, 0, 2])
        return reverse(dx, 1) if backwards else dx

    return (d_x, lambda: rows(0, features), lambda: rows(features, units),
            None if bias is None else (lambda: reshape(rows(features + units, 1), [4 * units])),
            lambda: result()[1], lambda: result()[2], None)
