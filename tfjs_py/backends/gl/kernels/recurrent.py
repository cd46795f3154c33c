"""Fused recurrent GL kernels: a whole LSTM sequence and its gradient. The
input projection x . kernel is one matMul; then one dispatch per time step
(gl/recurrent/lstm_step.comp, lstm_grad_step.comp) computes whole cells.
Saved tensors have the layout of the cpu kernels
(tfjs_py/backends/cpu/kernels/recurrent.py)."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .linalg import matmul
from .shape import gather, slice_, transpose
from .util import groups, rec, release

_CODES = {'tanh': 0, 'sigmoid': 1, 'hardSigmoid': 2, 'relu': 3, 'linear': 4}


def _defines(attrs, **flags: bool) -> dict:
    defines = {'ACT': _CODES[attrs['activation']],
               'REC_ACT': _CODES[attrs['recurrentActivation']]}
    defines.update({name: 1 for name, on in flags.items() if on})
    return defines


def _time(step: int, steps: int, backwards: bool) -> int:
    return steps - 1 - step if backwards else step


@register_kernel('LSTMSequence', 'gl')
def lstm_sequence(backend, inputs, attrs):
    x, kernel, rec_kernel, bias, h0, c0, mask = inputs
    batch, steps, features = x._shape
    u = rec_kernel._shape[0]
    backwards = attrs['goBackwards']
    xw = matmul(backend, x, kernel, False, False)
    gates = backend.new_output((steps, 4 * u, batch), 'float32')
    cells = backend.new_output((steps, u, batch), 'float32')
    hs = backend.new_output((steps, batch, u), 'float32')
    step_inputs = backend.new_output((features + u + 1, steps, batch), 'float32')
    defines = _defines(attrs, HAS_BIAS=bias is not None, HAS_MASK=mask is not None)
    # Absent inputs are never read: any texture holds their place.
    bias_rec = rec(xw if bias is None else bias)
    mask_rec = rec(xw if mask is None else mask)
    for s in range(steps):
        h_src, c_src = (h0, c0) if s == 0 else (hs, cells)
        uniforms = {'u_size': batch * u, 'u_units': u, 'u_batch': batch, 'u_steps': steps,
                    'u_step': s, 'u_time': _time(s, steps, backwards), 'u_features': features}
        backend.run(ProgramSpec(
            'recurrent/lstm_step.comp',
            [rec(xw), rec(rec_kernel), bias_rec, rec(h_src), rec(c_src), mask_rec, rec(x)],
            [gates.rec, cells.rec, hs.rec, step_inputs.rec], groups(batch * u), defines,
            uniforms))
    release(backend, xw)
    h_seq = transpose(backend, hs, [1, 0, 2])
    h_last = slice_(backend, hs, [steps - 1, 0, 0], [1, batch, u], (batch, u))
    # cells[-1] is [u, batch]: read it transposed.
    c_last = gather(backend, cells, [1, batch, u], [steps - 1, 0, 0], [1, 1, 1],
                    [u * batch, 1, batch], (batch, u))
    release(backend, hs)
    return [h_seq, h_last, c_last, gates, cells, step_inputs]


@register_kernel('LSTMSequenceGrad', 'gl')
def lstm_sequence_grad(backend, inputs, attrs):
    dh_seq, dh_last, dc_last, rec_kernel, c0, mask, gates, cells = inputs
    steps, u, batch = cells._shape
    backwards = attrs['goBackwards']
    dz = backend.new_output((4 * u, steps, batch), 'float32')
    gh, gc, gct = (backend.new_output((steps, batch, u), 'float32') for _ in range(3))
    ins = [rec(dh_seq), rec(rec_kernel), rec(gates), rec(cells), rec(c0),
           rec(cells if mask is None else mask), dz.rec, gh.rec, gc.rec, gct.rec,
           rec(dh_last), rec(dc_last)]
    defines = _defines(attrs, HAS_MASK=mask is not None)
    n = batch * u
    base = {'u_size': n, 'u_units': u, 'u_batch': batch, 'u_steps': steps}
    for s in range(steps - 1, -1, -1):
        uniforms = {**base, 'u_step': s, 'u_time': _time(s, steps, backwards),
                    'u_next_time': _time(min(s + 1, steps - 1), steps, backwards),
                    'u_last': int(s == steps - 1)}
        backend.run(ProgramSpec('recurrent/lstm_grad_step.comp', ins,
                                [dz.rec, gh.rec, gc.rec, gct.rec], groups(n), defines,
                                uniforms))
    dh0 = backend.new_output((batch, u), 'float32')
    dc0 = backend.new_output((batch, u), 'float32')
    backend.run(ProgramSpec('recurrent/lstm_grad_step.comp', ins, [dh0.rec, dc0.rec],
                            groups(n), {**defines, 'FINAL': 1},
                            {**base, 'u_step': 0, 'u_time': _time(0, steps, backwards)}))
    for t in (gh, gc, gct):
        release(backend, t)
    return [dz, dh0, dc0]
