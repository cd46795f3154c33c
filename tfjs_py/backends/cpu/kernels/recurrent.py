"""Fused recurrent NumPy kernels: a whole LSTM sequence and its gradient.

Every step works on [rows, batch] blocks (unit-major, batch last), so that each
gate and state is one contiguous block and each elementwise call one pass over
contiguous memory. Layouts shared with the gl kernels, all in processing order
(reversed time when goBackwards):
- `state` [time, 6 * units, batch]: per step the gates i, f, o (after the
  recurrent activation), the candidate c~ (after the activation), the cell
  before the step and the activation of the cell after it. With i, f beside
  c~, c_prev the cell update is one product and one sum; the gradient kernel
  needs nothing else.
- `stepInputs` [time, features + units + 1, batch]: each step's [x_t; h_prev; 1]
  columns, so that their product with the step's gate pre-activation gradients
  adds the step's part of the kernel's, the recurrent kernel's and the bias'
  gradients, stacked.
Per step the forward pass is one matmul and six elementwise calls, the backward
pass two matmuls, an add and five elementwise calls; the rest runs over a
block of steps at once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import numpy as np

from ....engine.registry import register_kernel
from .elementwise import relu_into
from .util import arr, quiet

try:  # the clip ufunc: one pass, NaN stays NaN
    from numpy._core.umath import clip as _clip
except ImportError:  # NumPy 1.x
    from numpy.core.umath import clip as _clip

_ZERO, _ONE = np.float32(0), np.float32(1)


@functools.lru_cache(maxsize=1)
def _blas_threads() -> int:
    """The threads NumPy's OpenBLAS runs a product on: its environment
    settings, else one per usable core (read once, as OpenBLAS does)."""
    for name in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'):
        value = os.environ.get(name, '').strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (
        os.cpu_count() or 1)


def _activate(x: np.ndarray, name: str, out: np.ndarray) -> None:
    """out = activation(x), the float32 steps of tfjs' ops; out may be x."""
    if name == 'tanh':
        np.tanh(x, out=out)
    elif name == 'sigmoid':
        np.negative(x, out=out)
        np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
    elif name == 'hardSigmoid':
        np.multiply(x, np.float32(0.2), out=out)
        out += np.float32(0.5)
        _clip(out, _ZERO, _ONE, out=out)
    elif name == 'relu':
        relu_into(x, out)
    elif out is not x:  # linear
        np.copyto(out, x)


# Recurrent activations computed as f(a * z + b) with a and b folded into the
# weights (hardSigmoid: clip(z'); sigmoid: 1 / (1 + exp(z'))): fewer passes per step.
_FOLDED = {'hardSigmoid': (0.2, 0.5), 'sigmoid': (-1.0, 0.0)}


def _activation_fn(name: str) -> Callable[[np.ndarray, np.ndarray], None]:
    """fn(x, out): out = activation(x)."""
    if name == 'tanh':
        return np.tanh
    return lambda x, out: _activate(x, name, out)


def _in_place_folded(name: str) -> Callable[[np.ndarray], None]:
    """fn(z): z = the recurrent activation of z, a pre-activation scaled by _FOLDED."""
    return lambda z: _activate_folded(z, name)


def _activate_folded(z: np.ndarray, name: str) -> None:
    """In place: the recurrent activation of a pre-activation scaled by _FOLDED."""
    if name == 'hardSigmoid':
        _clip(z, _ZERO, _ONE, out=z)
    elif name == 'sigmoid':
        np.exp(z, out=z)
        z += _ONE
        np.reciprocal(z, out=z)
    else:
        _activate(z, name, z)


def _slope(name: str, y: np.ndarray) -> np.ndarray | None:
    """d activation / d input from the activation's output y, as tfjs' Tanh and
    Sigmoid gradients take it, less a constant (_SLOPE_SCALE, for the caller to
    apply once): hardSigmoid passes where 0 < y < 1, relu where y > 0; None is 1."""
    if name == 'tanh':
        out = np.multiply(y, y)
        np.subtract(_ONE, out, out=out)
        return out
    if name == 'sigmoid':
        out = np.multiply(y, y)
        np.subtract(y, out, out=out)
        return out
    if name == 'hardSigmoid':
        inside = np.greater(y, _ZERO)
        inside &= y < _ONE
        return inside
    if name == 'relu':
        return np.greater(y, _ZERO)
    return None


_SLOPE_SCALE = {'hardSigmoid': 0.2}


def _times(a: np.ndarray, factor: np.ndarray | None, out: np.ndarray) -> None:
    """out = a * factor (a factor None is 1)."""
    if factor is None:
        np.copyto(out, a)
    else:
        np.multiply(a, factor, out=out)


def _drop(mask, backwards: bool) -> np.ndarray | None:
    """Where the mask is 0, as [time, 1, batch] in processing order, or None."""
    if mask is None:
        return None
    drop = (arr(mask) == 0).T
    if backwards:
        drop = drop[::-1]
    return drop[:, None, :]


@register_kernel('LSTMSequence', 'cpu')
def lstm_sequence(backend, inputs, attrs):
    """[hLast, cLast, state, stepInputs] and, with returnSequences, hSeq."""
    x, kernel, rec_kernel, bias, h0, c0, mask = inputs
    x = arr(x)
    batch, steps, features = x.shape
    u = arr(rec_kernel).shape[0]
    act, rec_act = attrs['activation'], attrs['recurrentActivation']
    drop = _drop(mask, attrs['goBackwards'])
    # Each step is one product [kernel; recurrentKernel; bias]^T . [x_t; h_prev; 1]
    # into the step's gates; h is written straight into the next step's column.
    k = features + u + 1
    weights_t = np.empty((4 * u, k), np.float32)
    weights_t[:, :features] = arr(kernel).T
    weights_t[:, features:-1] = arr(rec_kernel).T
    weights_t[:, -1] = 0 if bias is None else arr(bias)
    # The weights' gates i, f, c, o as i, f, o, c: the three recurrent-activation
    # gates side by side.
    candidate = weights_t[2 * u:3 * u].copy()
    weights_t[2 * u:3 * u] = weights_t[3 * u:]
    weights_t[3 * u:] = candidate
    if rec_act in _FOLDED:
        scale, shift = _FOLDED[rec_act]
        weights_t[:3 * u] *= np.float32(scale)
        weights_t[:3 * u, -1] += np.float32(shift)
    xh = np.empty((steps, k, batch), np.float32)
    xh[:, :features] = (x[:, ::-1] if attrs['goBackwards'] else x).transpose(1, 2, 0)
    xh[:, -1] = 1
    xh[0, features:-1] = arr(h0).T
    state = np.empty((steps, 6 * u, batch), np.float32)
    state[0, 4 * u:5 * u] = arr(c0).T
    h_last = np.empty((u, batch), np.float32)
    c_last = np.empty((u, batch), np.float32)
    pair = np.empty((2 * u, batch), np.float32)
    pair_i, pair_f = pair[:u], pair[u:]
    # Each step's views, taken once (a step costs little more than its calls).
    gates, rec_gates, candidates = state[:, :4 * u], state[:, :3 * u], state[:, 3 * u:4 * u]
    i_f, cand_prev, act_cells = state[:, :2 * u], state[:, 3 * u:5 * u], state[:, 5 * u:]
    out_gates, prev_cells = state[:, 2 * u:3 * u], state[:, 4 * u:5 * u]
    prev_hs = xh[:, features:-1]
    cells, hs = [*prev_cells[1:], c_last], [*prev_hs[1:], h_last]
    rec_fn = _in_place_folded(rec_act)
    act_fn = _activation_fn(act)
    with quiet():
        for s in range(steps):
            np.matmul(weights_t, xh[s], out=gates[s])
            rec_fn(rec_gates[s])
            act_fn(candidates[s], candidates[s])
            c, h, a = cells[s], hs[s], act_cells[s]
            # c = i * c~ + f * c_prev
            np.multiply(i_f[s], cand_prev[s], out=pair)
            np.add(pair_i, pair_f, out=c)
            act_fn(c, a)
            np.multiply(a, out_gates[s], out=h)
            if drop is not None:
                # A masked step keeps the previous state, and outputs the previous h.
                np.copyto(c, prev_cells[s], where=drop[s])
                np.copyto(h, prev_hs[s], where=drop[s])
    out = [h_last.T.copy(), c_last.T.copy(), state, xh]
    if attrs['returnSequences']:
        h_seq = np.empty((batch, steps, u), np.float32)
        h_seq[:, :-1] = xh[1:, features:-1].transpose(2, 0, 1)
        h_seq[:, -1] = h_last.T
        out.append(h_seq)
    return out


# Steps per block of the backward pass: its factors are computed for a block at
# once, while the block's state is in cache, in a few calls per block.
_BLOCK = 10


@register_kernel('LSTMSequenceGrad', 'cpu')
def lstm_sequence_grad(backend, inputs, attrs):
    """Backpropagation through time: [dh0, dc0, dKernel, dRecurrentKernel,
    dBias] and with inputGradient dx. Each step's gate pre-activation gradient
    dz meets the step's [x_t; h_prev; 1] column while in cache: the weights'
    gradients sum one small product per step (cheaper than keeping dz for one
    big product, which must first reorder it)."""
    dh_seq, dh_last, dc_last, kernel, rec_kernel, mask, state, step_inputs = inputs
    state = arr(state)
    steps, width, batch = state.shape
    u = width // 6
    act, rec_act = attrs['activation'], attrs['recurrentActivation']
    backwards = attrs['goBackwards']
    drop = _drop(mask, backwards)
    keep = None if drop is None else ~drop
    # Gates i, f, o, c~, the previous cell, act(cell): [time, 6, units, batch].
    g = state.reshape(steps, 6, u, batch)
    xh = arr(step_inputs)
    features = xh.shape[1] - u - 1
    # Per step dz = [dc; dc; dc; dh] * q * scale, rows i, f, c, o, with
    # q = c~ * i', c_prev * f', i * c~', act(c) * o' computed for a block of steps
    # at once, less the activations' constant slopes `scale`: folded into the
    # weights each product takes q to, and applied to the weights' gradients once.
    rec_scale = _SLOPE_SCALE.get(rec_act, 1.0)
    act_scale = _SLOPE_SCALE.get(act, 1.0)
    scale = np.repeat(np.array([rec_scale, rec_scale, act_scale, rec_scale], np.float32), u)
    scaled = rec_scale != 1 or act_scale != 1
    rk = arr(rec_kernel) * scale if scaled else arr(rec_kernel)
    dx = None
    if attrs['inputGradient']:
        kernel_t = np.ascontiguousarray((arr(kernel) * scale if scaled else arr(kernel)).T)
        dx = np.empty((steps, batch, features), np.float32)
    weights = np.empty((xh.shape[1], 4 * u), np.float32)
    part = np.empty_like(weights)
    # With several BLAS threads one product over all steps takes the weights'
    # gradients (each small product would pay for starting and joining them):
    # every step's dz is kept for it.
    together = _blas_threads() > 1
    q = np.empty((steps if together else min(steps, _BLOCK), 4, u, batch), np.float32)
    dhs = None if dh_seq is None else arr(dh_seq).transpose(1, 2, 0)  # [time, units, batch]
    dh = arr(dh_last).T.copy()
    if dhs is not None:
        dh += dhs[-1]
    dc = arr(dc_last).T.copy()
    tmp = np.empty((u, batch), np.float32)
    with quiet():
        for end in range(steps, 0, -_BLOCK):
            begin = max(end - _BLOCK, 0)
            gb, qb = g[begin:end], q[begin:end] if together else q[:end - begin]
            d_rec = _slope(rec_act, gb[:, :3])
            d_act = _slope(act, gb[:, 3])
            _times(gb[:, 3:5], None if d_rec is None else d_rec[:, :2], qb[:, :2])
            _times(gb[:, 0], d_act, qb[:, 2])
            _times(gb[:, 5], None if d_rec is None else d_rec[:, 2], qb[:, 3])
            # o * act'(c): from h to c
            o_dc = _slope(act, gb[:, 5])
            o_dc = gb[:, 2] * (1 if o_dc is None else o_dc)
            if act_scale != 1:
                o_dc *= np.float32(act_scale)
            # Each step's views, taken once.
            by_cell, by_h, forget = qb[:, :3], qb[:, 3], gb[:, 1]
            dzs = qb.reshape(len(qb), 4 * u, batch)
            dzs_t = dzs.transpose(0, 2, 1)
            for s in range(end - 1, begin - 1, -1):
                if keep is not None:
                    # A masked step passes the gradients through to the step before.
                    carry_h = np.where(keep[s], _ZERO, dh)
                    carry_c = np.where(keep[s], _ZERO, dc)
                    dh *= keep[s]
                    dc *= keep[s]
                i = s - begin
                np.multiply(dh, o_dc[i], out=tmp)
                np.add(dc, tmp, out=dc)
                np.multiply(by_cell[i], dc, out=by_cell[i])
                np.multiply(by_h[i], dh, out=by_h[i])
                np.multiply(dc, forget[i], out=dc)
                np.matmul(rk, dzs[i], out=dh)
                if not together:
                    # This step's part of the weights' gradients.
                    if s + 1 < steps:
                        np.matmul(xh[s], dzs_t[i], out=part)
                        np.add(weights, part, out=weights)
                    else:
                        np.matmul(xh[s], dzs_t[i], out=weights)
                if dx is not None:
                    np.matmul(dzs_t[i], kernel_t, out=dx[s])
                if keep is not None:
                    dh += carry_h
                    dc += carry_c
                if s and dhs is not None:
                    dh += dhs[s - 1]
        if together:
            columns = xh.transpose(1, 0, 2).reshape(xh.shape[1], steps * batch)
            np.matmul(columns, q.reshape(steps, 4 * u, batch).transpose(1, 0, 2)
                      .reshape(4 * u, steps * batch).T, out=weights)
        if scaled:
            weights *= scale
    out = [dh.T.copy(), dc.T.copy(), weights[:features], weights[features:-1], weights[-1]]
    if dx is not None:
        out.append(np.ascontiguousarray((dx[::-1] if backwards else dx).transpose(1, 0, 2)))
    return out
