"""The gradient of the fused LSTM (ops/recurrent.py, a customGrad node whose
outputs are the results only). The backward kernel runs the recurrence once,
back to the gradient of every step's gate pre-activations dz ([4 * units,
time, batch], processing order, rows i, f, c, o); the weights' gradients are
then one matmul with the saved per-step inputs, and the input's another, each
computed only when asked for."""

from __future__ import annotations

from collections.abc import Callable

from ..engine.tensor import Tensor
from ..ops.linalg import matMul
from ..ops.op import run_kernel
from ..ops.shape import reshape, reverse, slice_, transpose
from .shape import _once


def lstm_sequence_gradient(dys: list[Tensor], state: Tensor, step_inputs: Tensor,
                           inputs: tuple, attrs: dict) -> list[Callable[[], Tensor]]:
    """Thunks for the gradients of x, kernel, recurrentKernel, bias (when
    present), h0 and c0, from the upstream gradients of ([hSeq,] hLast, cLast)."""
    x, kernel, rec_kernel, bias, _, _, mask = inputs
    dh_seq = dys[0] if attrs['returnSequences'] else None
    dh_last, dc_last = dys[-2:]
    batch, steps, features = x._shape
    units = rec_kernel._shape[0]
    result = _once(lambda: run_kernel(
        'LSTMSequenceGrad', (dh_seq, dh_last, dc_last, rec_kernel, mask, state), attrs))
    dz = _once(lambda: reshape(result()[0], [4 * units, steps * batch]))
    # [x_t; h_prev; 1] . dz^T: the kernel's, recurrent kernel's and bias' gradients
    # stacked, as rows 0..features, features..features + units, and the last.
    weights = _once(lambda: matMul(
        reshape(step_inputs, [features + units + 1, steps * batch]), dz(), False, True))

    def rows(begin: int, size: int) -> Tensor:
        return slice_(weights(), [begin, 0], [size, 4 * units])

    def d_x() -> Tensor:
        dx = matMul(dz(), kernel, True, True)
        dx = transpose(reshape(dx, [steps, batch, features]), [1, 0, 2])
        return reverse(dx, 1) if attrs['goBackwards'] else dx

    thunks = [d_x, lambda: rows(0, features), lambda: rows(features, units)]
    if bias is not None:
        thunks.append(lambda: reshape(rows(features + units, 1), [4 * units]))
    return [*thunks, lambda: result()[1], lambda: result()[2]]
