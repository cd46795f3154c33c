"""Fused recurrent GL kernels: a whole LSTM sequence and its gradient. The
input projection x . kernel is one matmul, and so are the weights' gradients;
each time step is the recurrent product (the backend's matmul) and one cell
dispatch (gl/recurrent/lstm_step.comp, lstm_grad_step.comp). Saved tensors have the
layouts of the cpu kernels (tfjs_py/backends/cpu/kernels/recurrent.py)."""

from __future__ import annotations

from ....engine.registry import register_kernel
from ..backend import GlOutput
from ..program import ProgramSpec
from .elementwise import binary
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
    state = backend.new_output((steps, 6 * u, batch), 'float32')
    step_inputs = backend.new_output((steps, features + u + 1, batch), 'float32')
    outputs = [state.rec, step_inputs.rec]
    h_seq = None
    if attrs['returnSequences']:
        h_seq = backend.new_output((batch, steps, u), 'float32')
    defines = _defines(attrs, HAS_BIAS=bias is not None, HAS_MASK=mask is not None,
                       RETURN_SEQUENCES=h_seq is not None)
    # Absent inputs are never read: any texture holds their place.
    bias_rec = rec(xw if bias is None else bias)
    mask_rec = rec(xw if mask is None else mask)
    h, c = h0, c0
    for s in range(steps):
        rz = matmul(backend, h, rec_kernel, False, False)
        h_next = backend.new_output((batch, u), 'float32')
        c_next = backend.new_output((batch, u), 'float32')
        uniforms = {'u_size': batch * u, 'u_units': u, 'u_batch': batch, 'u_steps': steps,
                    'u_step': s, 'u_time': _time(s, steps, backwards), 'u_features': features}
        backend.run(ProgramSpec(
            'recurrent/lstm_step.comp',
            [rec(xw), rec(rz), bias_rec, rec(h), rec(c), mask_rec, rec(x)],
            [*outputs, h_next.rec, c_next.rec, *([] if h_seq is None else [h_seq.rec])],
            groups(batch * u), defines, uniforms))
        release(backend, rz)
        if s:
            release(backend, h)
            release(backend, c)
        h, c = h_next, c_next
    release(backend, xw)
    return [h, c, state, step_inputs, *([] if h_seq is None else [h_seq])]


@register_kernel('LSTMSequenceGrad', 'gl')
def lstm_sequence_grad(backend, inputs, attrs):
    dh_seq, dh_last, dc_last, kernel, rec_kernel, mask, state, step_inputs = inputs
    steps, width, batch = state._shape
    u = width // 6
    backwards = attrs['goBackwards']
    dz = backend.new_output((4 * u, steps, batch), 'float32')
    defines = _defines(attrs, HAS_MASK=mask is not None, HAS_SEQ=dh_seq is not None)
    n = batch * u
    base = {'u_size': n, 'u_units': u, 'u_batch': batch, 'u_steps': steps}
    # Absent inputs are never read: any texture holds their place, as do the
    # carries at the last step (dhLast and dcLast).
    rec_h, carry_h, grad_c = dh_last, dh_last, dc_last
    for s in range(steps - 1, -1, -1):
        dz_step = backend.new_output((batch, 4 * u), 'float32')
        next_carry_h = backend.new_output((batch, u), 'float32')
        next_grad_c = backend.new_output((batch, u), 'float32')
        uniforms = {**base, 'u_step': s, 'u_time': _time(s, steps, backwards),
                    'u_last': int(s == steps - 1)}
        backend.run(ProgramSpec(
            'recurrent/lstm_grad_step.comp',
            [rec(state if dh_seq is None else dh_seq), rec(state),
             rec(state if mask is None else mask), rec(rec_h), rec(carry_h), rec(grad_c),
             rec(dh_last), rec(dc_last)],
            [dz.rec, dz_step.rec, next_carry_h.rec, next_grad_c.rec], groups(n), defines,
            uniforms))
        if s < steps - 1:
            for t in (rec_h, carry_h, grad_c):
                release(backend, t)
        rec_h = matmul(backend, dz_step, rec_kernel, False, True)
        release(backend, dz_step)
        carry_h, grad_c = next_carry_h, next_grad_c
    dh0 = binary(backend, 'Add', rec_h, carry_h)
    for t in (rec_h, carry_h):
        release(backend, t)
    # The weights' gradients, stacked: [x_t; h_prev; 1] . dz^T over all steps.
    k = step_inputs._shape[1]
    features = k - u - 1
    dz_2d = GlOutput(dz.rec, (4 * u, steps * batch))
    columns = transpose(backend, step_inputs, [1, 0, 2])
    weights = matmul(backend, GlOutput(columns.rec, (k, steps * batch)), dz_2d, False, True)
    release(backend, columns)
    out = [dh0, grad_c, slice_(backend, weights, [0, 0], [features, 4 * u]),
           slice_(backend, weights, [features, 0], [u, 4 * u]),
           slice_(backend, weights, [k - 1, 0], [1, 4 * u], (4 * u,))]
    release(backend, weights)
    if attrs['inputGradient']:
        # dz^T . kernel^T [time * batch, features], to [batch, time, features] in
        # input time order.
        dx = matmul(backend, dz_2d, kernel, True, True)
        first = steps - 1 if backwards else 0
        out.append(gather(backend, dx, [batch, steps, features], [0, first, 0],
                          [1, -1 if backwards else 1, 1],
                          [features, batch * features, 1]))
        release(backend, dx)
    release(backend, dz)
    return out
