"""The gradient of the fused LSTM (ops/recurrent.py, a customGrad node whose
outputs are the results only). The backward kernel runs the recurrence once,
back to the gradient of every step's gate pre-activations dz ([4 * units,
time, batch], processing order, rows i, f, c, o), and gives the weights'
gradients (one product with the saved per-step inputs); the input's gradient
is another matmul, computed only when asked for."""

from __future__ import annotations

from collections.abc import Callable

from ..engine.tensor import Tensor
from ..ops.linalg import matMul
from ..ops.op import run_kernel
from ..ops.shape import reshape, reverse, transpose
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
        'LSTMSequenceGrad', (dh_seq, dh_last, dc_last, rec_kernel, mask, state, step_inputs),
        attrs))

    def d_x() -> Tensor:
        dx = matMul(reshape(result()[0], [4 * units, steps * batch]), kernel, True, True)
        dx = transpose(reshape(dx, [steps, batch, features]), [1, 0, 2])
        return reverse(dx, 1) if attrs['goBackwards'] else dx

    thunks = [d_x, lambda: result()[3], lambda: result()[4]]
    if bias is not None:
        thunks.append(lambda: result()[5])
    return [*thunks, lambda: result()[1], lambda: result()[2]]
