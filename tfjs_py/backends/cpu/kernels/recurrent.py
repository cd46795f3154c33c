"""Fused recurrent NumPy kernels: a whole LSTM sequence and its gradient.

Layout shared with the gl kernels: the saved `gates` are [time, batch, 4 * units]
in processing order (reversed time when goBackwards) with columns i, f, o, c
(the three recurrent-activation gates side by side, so one call activates
them), after activation; `cells` are the cell states [time, batch, units]
after each step (a masked step keeps the previous one); `inputs` are each
step's [x_t, h_prev, 1] rows [time, batch, features + units + 1], so that one
matmul with the gates' gradient gives the kernel's, the recurrent kernel's
and the bias' gradients.
"""

from __future__ import annotations

import functools

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet


@functools.lru_cache(maxsize=16)
def _perm(units: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns i, f, c, o (tfjs' weight layout) -> i, f, o, c, and back."""
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
        np.multiply(x, 0.2, out=out)
        out += 0.5
        np.maximum(out, 0, out=out)
        np.minimum(out, 1, out=out)
    elif name == 'relu':
        np.maximum(x, 0, out=out)
    elif out is not x:  # linear
        np.copyto(out, x)


def _derivative(y: np.ndarray, split: int, first: str, second: str) -> np.ndarray:
    """d activation / d input from the activation's output y (as tfjs' Tanh and
    Sigmoid gradients do; hardSigmoid passes where 0 < y < 1, relu where
    y > 0): `first` for the last axis' first `split` columns, `second` after."""
    out = np.empty_like(y)
    for name, part, dst in ((first, y[..., :split], out[..., :split]),
                            (second, y[..., split:], out[..., split:])):
        if not part.size:
            continue
        if name in ('tanh', 'sigmoid'):
            np.multiply(part, part, out=dst)
            if name == 'tanh':
                np.subtract(1, dst, out=dst)
            else:
                np.subtract(part, dst, out=dst)
        elif name == 'hardSigmoid':
            inside = (part > 0) & (part < 1)
            np.multiply(inside, np.float32(0.2), out=dst)
        elif name == 'relu':
            np.greater(part, 0, out=dst)
        else:
            dst.fill(1)
    return out


def _time_major(x: np.ndarray, backwards: bool) -> np.ndarray:
    """[batch, time, ...] -> contiguous [time, batch, ...] in processing order."""
    if backwards:
        x = x[:, ::-1]
    return np.ascontiguousarray(x.swapaxes(0, 1))


def _keep(mask, backwards: bool) -> np.ndarray | None:
    """The mask as [time, batch, 1] floats in processing order, or None."""
    if mask is None:
        return None
    return _time_major(arr(mask) != 0, backwards)[..., None].astype(np.float32)


# Recurrent activations computed as f(a * z + b) with a and b folded into the
# weights (hardSigmoid: clip(z'); sigmoid: 1 / (1 + exp(z'))): fewer passes per step.
_FOLDED = {'hardSigmoid': (0.2, 0.5), 'sigmoid': (-1.0, 0.0)}


def _activate_folded(z: np.ndarray, name: str) -> None:
    """In place: the recurrent activation of a pre-activation scaled by _FOLDED."""
    if name == 'hardSigmoid':
        np.maximum(z, 0, out=z)
        np.minimum(z, 1, out=z)
    elif name == 'sigmoid':
        np.exp(z, out=z)
        z += 1
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
    # Each step is one product [x_t, h_prev, 1] . [kernel; recurrentKernel; bias]
    # into the step's gates; h is written straight into the next step's row.
    k = features + u + 1
    weights = np.empty((k, 4 * u), np.float32)
    weights[:features] = arr(kernel)[:, order]
    weights[features:-1] = arr(rec_kernel)[:, order]
    weights[-1] = 0 if bias is None else arr(bias)[order]
    if rec_act in _FOLDED:
        scale, shift = _FOLDED[rec_act]
        weights[:, :3 * u] *= np.float32(scale)
        weights[-1, :3 * u] += np.float32(shift)
    xh = np.empty((steps + 1, batch, k), np.float32)
    xh[:steps, :, :features] = _time_major(x, backwards)
    xh[..., -1] = 1
    xh[0, :, features:-1] = arr(h0)
    gates = np.empty((steps, batch, 4 * u), np.float32)
    cells = np.empty((steps, batch, u), np.float32)
    c = arr(c0)
    tmp = np.empty((batch, u), np.float32)
    with quiet():
        for s in range(steps):
            g = gates[s]
            np.matmul(xh[s], weights, out=g)
            _activate_folded(g[:, :3 * u], rec_act)
            _activate(g[:, 3 * u:], act, g[:, 3 * u:])
            cs, hh = cells[s], xh[s + 1, :, features:-1]
            np.multiply(g[:, u:2 * u], c, out=cs)
            np.multiply(g[:, :u], g[:, 3 * u:], out=tmp)
            cs += tmp
            _activate(cs, act, hh)
            hh *= g[:, 2 * u:3 * u]
            if drop is not None:
                # A masked step keeps the previous state, and outputs the previous h.
                np.copyto(cs, c, where=drop[s])
                np.copyto(hh, xh[s, :, features:-1], where=drop[s])
            c = cs
    hs = xh[1:, :, features:-1]
    return [np.ascontiguousarray(hs.swapaxes(0, 1)), hs[-1].copy(), cells[-1].copy(), gates,
            cells, xh[:steps]]


@register_kernel('LSTMSequenceGrad', 'cpu')
def lstm_sequence_grad(backend, inputs, attrs):
    """Backpropagation through time, to the gradient of every step's gate
    pre-activations (the weight gradients are then one matmul each) and of the
    initial states."""
    dh_seq, dh_last, dc_last, rec_kernel, c0, mask, gates, cells = inputs
    gates, cells = arr(gates), arr(cells)
    steps, batch, u = cells.shape
    order, _ = _perm(u)
    act, rec_act = attrs['activation'], attrs['recurrentActivation']
    keep = _keep(mask, attrs['goBackwards'])
    rk_t = np.ascontiguousarray(arr(rec_kernel)[:, order].T)
    c0 = arr(c0)
    with quiet():
        # d gates / d pre-activations for all steps at once, in place.
        dz = _derivative(gates, 3 * u, rec_act, act)
        act_c = np.empty_like(cells)
        _activate(cells, act, act_c)
        # o * act'(c), the path from h to c
        o_dc = _derivative(act_c, 0, act, act)
        o_dc *= gates[..., 2 * u:3 * u]
        dhs = arr(dh_seq)
        # Without returnSequences the tape passes zeros for hSeq: skip them.
        dhs = _time_major(dhs, False) if dhs.any() else None  # already in processing order
        dh = arr(dh_last) if dhs is None else arr(dh_last) + dhs[-1]
        dc = arr(dc_last).copy()
        tmp = np.empty((batch, u), np.float32)
        da = np.empty((batch, 4 * u), np.float32)
        for s in range(steps - 1, -1, -1):
            g = gates[s]
            if keep is not None:
                k = keep[s]
                carry_h, carry_c = dh * (1 - k), dc * (1 - k)
                dh, dc = dh * k, dc * k
            np.multiply(dh, act_c[s], out=da[:, 2 * u:3 * u])
            np.multiply(dh, o_dc[s], out=tmp)
            dc += tmp
            np.multiply(dc, g[:, 3 * u:], out=da[:, :u])
            np.multiply(dc, cells[s - 1] if s else c0, out=da[:, u:2 * u])
            np.multiply(dc, g[:, :u], out=da[:, 3 * u:])
            d = dz[s]
            d *= da
            dc = dc * g[:, u:2 * u]
            dh = d @ rk_t
            if keep is not None:
                dh += carry_h
                dc += carry_c
            if s and dhs is not None:
                dh += dhs[s - 1]
    return [dz, dh, dc]
