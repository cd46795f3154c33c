"""Fused recurrent NumPy kernels: a whole LSTM sequence and its gradient.

Every step works on [rows, batch] blocks (unit-major, batch last) so that each
gate, state and per-step input is one contiguous block: elementwise passes
over contiguous memory, and one matmul per step. Layout shared with the gl
kernels, all in processing order (reversed time when goBackwards):
- `gates` [time, 4 * units, batch], rows i, f, o, c (the three
  recurrent-activation gates side by side), after activation;
- `cells` [time, units, batch], the cell state after each step (a masked step
  keeps the previous one);
- `stepInputs` [features + units + 1, time, batch], each step's [x_t; h_prev; 1]
  column, so that one matmul with the gates' gradient (`dz`, [4 * units, time,
  batch] from the gradient kernel, rows in the weights' order i, f, c, o) gives
  the kernel's, the recurrent kernel's and the bias' gradients.
"""

from __future__ import annotations

import functools

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet

try:  # the clip ufunc: one pass, NaN stays NaN
    from numpy._core.umath import clip as _clip
except ImportError:  # NumPy 1.x
    from numpy.core.umath import clip as _clip

_ZERO, _ONE = np.float32(0), np.float32(1)


@functools.lru_cache(maxsize=16)
def _perm(units: int) -> tuple[np.ndarray, np.ndarray]:
    """Gates i, f, c, o (tfjs' weight columns) -> i, f, o, c, and back."""
    u = units
    order = np.r_[0:2 * u, 3 * u:4 * u, 2 * u:3 * u]
    return order, np.argsort(order)


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
        np.maximum(x, _ZERO, out=out)
    elif out is not x:  # linear
        np.copyto(out, x)


def _derivative(parts: list[tuple[str, np.ndarray]], like: np.ndarray) -> np.ndarray:
    """d activation / d input from the activation's output y (as tfjs' Tanh and
    Sigmoid gradients do; hardSigmoid passes where 0 < y < 1, relu where
    y > 0), for (activation, rows of `like` along axis 1) parts."""
    out = np.empty_like(like)
    start = 0
    for name, part in parts:
        dst = out[:, start:start + part.shape[1]]
        start += part.shape[1]
        if name in ('tanh', 'sigmoid'):
            np.multiply(part, part, out=dst)
            if name == 'tanh':
                np.subtract(_ONE, dst, out=dst)
            else:
                np.subtract(part, dst, out=dst)
        elif name == 'hardSigmoid':
            inside = part > 0
            inside &= part < 1
            np.multiply(inside, np.float32(0.2), out=dst)
        elif name == 'relu':
            np.greater(part, 0, out=dst)
        else:
            dst.fill(1)
    return out


def _keep(mask, backwards: bool) -> np.ndarray | None:
    """The mask as [time, 1, batch] floats in processing order, or None."""
    if mask is None:
        return None
    keep = (arr(mask) != 0).T
    if backwards:
        keep = keep[::-1]
    return keep[:, None, :].astype(np.float32)


# Recurrent activations computed as f(a * z + b) with a and b folded into the
# weights (hardSigmoid: clip(z'); sigmoid: 1 / (1 + exp(z'))): fewer passes per step.
_FOLDED = {'hardSigmoid': (0.2, 0.5), 'sigmoid': (-1.0, 0.0)}


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


@register_kernel('LSTMSequence', 'cpu')
def lstm_sequence(backend, inputs, attrs):
    x, kernel, rec_kernel, bias, h0, c0, mask = inputs
    x = arr(x)
    batch, steps, features = x.shape
    u = arr(rec_kernel).shape[0]
    order, _ = _perm(u)
    act, rec_act = attrs['activation'], attrs['recurrentActivation']
    backwards = attrs['goBackwards']
    keep = _keep(mask, backwards)
    drop = None if keep is None else keep == 0
    # Each step is one product [kernel; recurrentKernel; bias]^T . [x_t; h_prev; 1]
    # into the step's gates; h is written straight into the next step's column.
    k = features + u + 1
    weights = np.empty((k, 4 * u), np.float32)
    weights[:features] = arr(kernel)[:, order]
    weights[features:-1] = arr(rec_kernel)[:, order]
    weights[-1] = 0 if bias is None else arr(bias)[order]
    if rec_act in _FOLDED:
        scale, shift = _FOLDED[rec_act]
        weights[:, :3 * u] *= np.float32(scale)
        weights[-1, :3 * u] += np.float32(shift)
    weights_t = np.ascontiguousarray(weights.T)
    # Contiguous per step while it runs: [time + 1, k, batch].
    xh = np.empty((steps + 1, k, batch), np.float32)
    xh[:steps, :features] = (x[:, ::-1] if backwards else x).transpose(1, 2, 0)
    xh[:, -1] = 1
    xh[0, features:-1] = arr(h0).T
    gates = np.empty((steps, 4 * u, batch), np.float32)
    cells = np.empty((steps, u, batch), np.float32)
    c = arr(c0).T
    tmp = np.empty((u, batch), np.float32)
    with quiet():
        for s in range(steps):
            g = gates[s]
            np.matmul(weights_t, xh[s], out=g)
            _activate_folded(g[:3 * u], rec_act)
            _activate(g[3 * u:], act, g[3 * u:])
            cs = cells[s]
            hh = xh[s + 1, features:-1]
            np.multiply(g[u:2 * u], c, out=cs)
            np.multiply(g[:u], g[3 * u:], out=tmp)
            cs += tmp
            _activate(cs, act, hh)
            hh *= g[2 * u:3 * u]
            if drop is not None:
                # A masked step keeps the previous state, and outputs the previous h.
                np.copyto(cs, c, where=drop[s])
                np.copyto(hh, xh[s, features:-1], where=drop[s])
            c = cs
    h_seq = np.ascontiguousarray(xh[1:, features:-1].transpose(2, 0, 1))
    return [h_seq, xh[-1, features:-1].T.copy(), cells[-1].T.copy(), gates, cells,
            np.ascontiguousarray(xh[:-1].transpose(1, 0, 2))]


@register_kernel('LSTMSequenceGrad', 'cpu')
def lstm_sequence_grad(backend, inputs, attrs):
    """Backpropagation through time, to the gradient of every step's gate
    pre-activations (the weight gradients are then one matmul) and of the
    initial states."""
    dh_seq, dh_last, dc_last, rec_kernel, c0, mask, gates, cells = inputs
    gates, cells = arr(gates), arr(cells)
    steps, u, batch = cells.shape
    act, rec_act = attrs['activation'], attrs['recurrentActivation']
    keep = _keep(mask, attrs['goBackwards'])
    rk = arr(rec_kernel)
    c0 = arr(c0).T
    with quiet():
        # d gates / d pre-activations for all steps at once, rows i, f, c, o.
        deriv = _derivative([(rec_act, gates[:, :2 * u]), (act, gates[:, 3 * u:]),
                             (rec_act, gates[:, 2 * u:3 * u])], gates)
        act_c = np.empty_like(cells)
        _activate(cells, act, act_c)
        # o * act'(c): the path from h to c
        o_dc = _derivative([(act, act_c)], act_c)
        o_dc *= gates[:, 2 * u:3 * u]
        dhs = arr(dh_seq)
        # Without returnSequences the tape passes zeros for hSeq: skip them.
        dhs = dhs.transpose(1, 2, 0) if dhs.any() else None  # [time, units, batch]
        dh = np.array(arr(dh_last).T)
        if dhs is not None:
            dh += dhs[-1]
        dc = np.array(arr(dc_last).T)
        dz = np.empty((steps, 4 * u, batch), np.float32)  # contiguous per step
        tmp = np.empty((u, batch), np.float32)
        da = np.empty((4 * u, batch), np.float32)
        for s in range(steps - 1, -1, -1):
            g = gates[s]
            if keep is not None:
                k = keep[s]
                carry_h, carry_c = dh * (1 - k), dc * (1 - k)
                dh, dc = dh * k, dc * k
            np.multiply(dh, act_c[s], out=da[3 * u:])
            np.multiply(dh, o_dc[s], out=tmp)
            dc += tmp
            np.multiply(dc, g[3 * u:], out=da[:u])
            np.multiply(dc, cells[s - 1] if s else c0, out=da[u:2 * u])
            np.multiply(dc, g[:u], out=da[2 * u:3 * u])
            d = dz[s]
            np.multiply(da, deriv[s], out=d)
            dc = dc * g[u:2 * u]
            dh = rk @ d
            if keep is not None:
                dh += carry_h
                dc += carry_c
            if s and dhs is not None:
                dh += dhs[s - 1]
    return [np.ascontiguousarray(dz.transpose(1, 0, 2)), dh.T.copy(), dc.T.copy()]
