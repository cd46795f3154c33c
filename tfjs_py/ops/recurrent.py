"""Fused recurrent ops, beyond tfjs: a whole LSTM sequence as one kernel (the
layers take it when a layer's settings allow, as Keras takes cuDNN's).
Internal: not in the tf namespace."""

from __future__ import annotations

from ..engine.engine import ENGINE
from ..engine.scope import TAPES
from ..engine.tensor import Tensor
from .elementwise import cast
from .op import run_kernel

# Activations the fused kernels implement, by their tfjs names.
FUSED_ACTIVATIONS = frozenset({'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear'})


def lstmSequence(x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | None,
                 h0: Tensor, c0: Tensor, mask: Tensor | None = None,
                 activation: str = 'tanh', recurrentActivation: str = 'hardSigmoid',
                 goBackwards: bool = False, returnSequences: bool = True
                 ) -> tuple[Tensor | None, Tensor, Tensor]:
    """An LSTM (tfjs' LSTMCell: gates i, f, c, o) over the time axis of x
    [batch, time, features]; returns (h at every step [batch, time, units], or
    None without returnSequences; last h; last c). Where mask [batch, time] is 0
    a step keeps the previous state and outputs the previous h; goBackwards runs
    time reversed and lists the outputs in processing order, as tfjs' rnn() does."""
    for name in (activation, recurrentActivation):
        if name not in FUSED_ACTIVATIONS:
            raise ValueError(f'lstmSequence: activation {name!r} is not fused; expected one '
                             f'of {sorted(FUSED_ACTIVATIONS)}')
    for name, t in (('x', x), ('kernel', kernel), ('recurrentKernel', recurrentKernel),
                    ('bias', bias), ('h0', h0), ('c0', c0)):
        if t is not None and t.dtype != 'float32':
            raise TypeError(f'lstmSequence: {name} must be float32, got {t.dtype}')
    if x.rank != 3:
        raise ValueError(f'lstmSequence: x must be [batch, time, features], got shape '
                         f'{list(x.shape)}')
    units = recurrentKernel.shape[0]
    batch, steps, features = x.shape
    if (list(kernel.shape) != [features, 4 * units]
            or list(recurrentKernel.shape) != [units, 4 * units]
            or (bias is not None and list(bias.shape) != [4 * units])):
        raise ValueError(f'lstmSequence: weights of shapes {list(kernel.shape)}, '
                         f'{list(recurrentKernel.shape)} and '
                         f'{None if bias is None else list(bias.shape)} do not fit '
                         f'{features} features and {units} units')
    if steps == 0:
        raise ValueError(f'lstmSequence: the input has no time steps (shape {list(x.shape)})')
    for name, s in (('h0', h0), ('c0', c0)):
        if list(s.shape) != [batch, units]:
            raise ValueError(f'lstmSequence: {name} must have shape {[batch, units]}, got '
                             f'{list(s.shape)}')
    made: list[Tensor] = []
    if mask is not None:
        if list(mask.shape) != [batch, steps]:
            raise ValueError(f'lstmSequence: mask must have shape {[batch, steps]}, got '
                             f'{list(mask.shape)}')
        if mask.dtype != 'float32':
            mask = ENGINE.tidy(lambda: cast(cast(mask, 'bool'), 'float32'))
            made.append(mask)
    attrs = {'activation': activation, 'recurrentActivation': recurrentActivation,
             'goBackwards': bool(goBackwards), 'returnSequences': bool(returnSequences)}
    inputs = (x, kernel, recurrentKernel, bias, h0, c0, mask)
    if not TAPES.get():
        h_last, c_last, *saved = run_kernel('LSTMSequence', inputs, attrs)
        h_seq = saved.pop() if returnSequences else None
        ENGINE.dispose([*saved, *made])
        return h_seq, h_last, c_last

    def forward(*args: Tensor) -> dict:
        save = args[-1]
        h_last, c_last, state, step_inputs, *h_seq = run_kernel('LSTMSequence', inputs, attrs)
        # The tape keeps what the gradient reads beyond the node's inputs.
        save([state, step_inputs] + ([] if mask is None else [mask]))

        def gradient(dys: list[Tensor], saved: list[Tensor]) -> list:
            from ..gradients.recurrent import lstm_sequence_gradient  # gradients load after ops
            return lstm_sequence_gradient(dys, saved[0], saved[1], inputs, attrs)

        return {'value': [*h_seq, h_last, c_last], 'gradFunc': gradient}

    # One tape node whose outputs are the results only: the tape then makes no
    # zero gradients for the saved tensors, and none for hSeq unless asked for.
    differentiable = [t for t in inputs[:6] if t is not None]
    value = ENGINE.custom_grad(forward)(*differentiable)
    h_seq = value[0] if returnSequences else None
    return h_seq, value[-2], value[-1]
