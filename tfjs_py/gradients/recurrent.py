"""The gradient of the fused LSTM (ops/recurrent.py, a customGrad node whose
outputs are the results only): one backward kernel gives the gradients of the
initial states and the weights, and the input's when asked for."""

from __future__ import annotations

from collections.abc import Callable

from ..engine.tensor import Tensor
from ..ops.op import run_kernel


def lstm_sequence_gradient(dys: list[Tensor], state: Tensor, step_inputs: Tensor,
                           inputs: tuple, attrs: dict) -> list[Callable[[], Tensor]]:
    """Thunks for the gradients of x, kernel, recurrentKernel, bias (when
    present), h0 and c0, from the upstream gradients of ([hSeq,] hLast, cLast)."""
    _, kernel, rec_kernel, bias, _, _, mask = inputs
    dh_seq = dys[0] if attrs['returnSequences'] else None
    dh_last, dc_last = dys[-2:]
    results: list[list[Tensor]] = []

    def result(with_x: bool) -> list[Tensor]:
        # The tape takes the inputs in order, so the input's gradient, when
        # needed, is asked for first and the kernel computes it along; asked
        # for later, the kernel runs again.
        if not results or (with_x and len(results[-1]) < 6):
            results.append(run_kernel(
                'LSTMSequenceGrad',
                (dh_seq, dh_last, dc_last, kernel, rec_kernel, mask, state, step_inputs),
                {**attrs, 'inputGradient': with_x}))
        return results[-1]

    thunks = [lambda: result(True)[5], lambda: result(False)[2], lambda: result(False)[3]]
    if bias is not None:
        thunks.append(lambda: result(False)[4])
    return [*thunks, lambda: result(False)[0], lambda: result(False)[1]]
