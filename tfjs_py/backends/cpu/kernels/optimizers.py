"""Optimizer update kernels: one call per variable per step.

Each takes the variable's value, its accumulators and the gradient (all
float32, one shape) and returns the new value and the new accumulators, in
input order. The arithmetic is tfjs' composed update (tfjs-core/src/optimizers)
done in the same order in float32, so the numbers are those of the separate
ops, bit for bit (Adam's up to float32 rounding: see there); it only writes
into the result arrays in place (plus one scratch array) instead of
allocating an array per step. Hyperparameters are
Python floats, made float32 here as tfjs makes scalars from them.
"""

from __future__ import annotations

import math

import numpy as np

from ....engine.registry import register_kernel
from .util import arr, quiet

_F32 = np.float32


def _read(inputs) -> list[np.ndarray]:
    """The inputs' arrays; a scalar's as one value (NumPy turns 0-d results
    into scalars, which cannot be written into)."""
    arrays = [arr(t) for t in inputs]
    return [a.reshape(1) for a in arrays] if arrays[0].ndim == 0 else arrays


def _shaped(inputs, outs: list[np.ndarray]) -> list[np.ndarray]:
    return [o.reshape(()) for o in outs] if inputs[0]._shape == () else outs


@register_kernel('ApplyGradientDescent', 'cpu')
def apply_gradient_descent(backend, inputs, attrs):
    value, grad = _read(inputs)
    with quiet():
        new_value = np.multiply(grad, _F32(-attrs['lr']))
        new_value += value
    return _shaped(inputs, [new_value])[0]


@register_kernel('ApplyMomentum', 'cpu')
def apply_momentum(backend, inputs, attrs):
    value, accum, grad = _read(inputs)
    c, momentum = _F32(-attrs['lr']), _F32(attrs['momentum'])
    with quiet():
        new_accum = np.multiply(accum, momentum)
        new_accum += grad
        if attrs['useNesterov']:
            new_value = np.multiply(new_accum, momentum)
            new_value += grad
            new_value *= c
        else:
            new_value = np.multiply(new_accum, c)
        new_value += value
    return _shaped(inputs, [new_value, new_accum])


@register_kernel('ApplyAdagrad', 'cpu')
def apply_adagrad(backend, inputs, attrs):
    value, accum, grad = _read(inputs)
    with quiet():
        new_accum = np.square(grad)
        new_accum += accum
        new_value = np.add(new_accum, _F32(attrs['epsilon']))
        np.sqrt(new_value, out=new_value)
        np.divide(grad, new_value, out=new_value)
        new_value *= _F32(-attrs['lr'])
        new_value += value
    return _shaped(inputs, [new_value, new_accum])


@register_kernel('ApplyAdadelta', 'cpu')
def apply_adadelta(backend, inputs, attrs):
    """tfjs scales the step by the accumulated squared gradient from before
    this step (Keras by the one after)."""
    value, accum, accum_update, grad = _read(inputs)
    rho, eps = _F32(attrs['rho']), _F32(attrs['epsilon'])
    one_minus_rho = _F32(1 - attrs['rho'])
    with quiet():
        new_accum = np.multiply(accum, rho)
        scratch = np.square(grad)
        scratch *= one_minus_rho
        new_accum += scratch
        # updates = sqrt(accum_update + eps) / sqrt(accum + eps) * grad
        updates = np.add(accum_update, eps)
        np.sqrt(updates, out=updates)
        np.add(accum, eps, out=scratch)
        np.sqrt(scratch, out=scratch)
        updates /= scratch
        updates *= grad
        new_update = np.multiply(accum_update, rho)
        np.square(updates, out=scratch)
        scratch *= one_minus_rho
        new_update += scratch
        updates *= _F32(-attrs['lr'])
        updates += value
    return _shaped(inputs, [updates, new_accum, new_update])


# Adam's scalars as read-only 0-d float32 arrays, by value: NumPy applies one
# to an array in 0.37 us where a Python float takes 0.65 (a NumPy scalar 0.52),
# with the same float32 value; a small variable's update is mostly this
# overhead. Cleared when full: the bias-corrected scalars change every step.
_SCALARS: dict[float, np.ndarray] = {}
_MAX_SCALARS = 64


def _scalar(x: float) -> np.ndarray:
    a = _SCALARS.get(x)
    if a is None:
        if len(_SCALARS) >= _MAX_SCALARS:
            _SCALARS.clear()
        a = np.array(x, _F32)
        a.flags.writeable = False
        _SCALARS[x] = a
    return a


@register_kernel('ApplyAdam', 'cpu')
def apply_adam(backend, inputs, attrs):
    """tfjs' step lr * m_hat / (sqrt(v_hat) + epsilon), rearranged with the
    bias corrections folded into two scalars,
    lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon * sqrt(1 - beta2^t)):
    one division and 12 passes instead of three divisions and 14 (the
    results differ from the composed update by float32 rounding only). The
    scalars are worked out in Python floats (~10x faster than in NumPy
    scalars) and applied as float32 0-d arrays (see _scalar). Outputs are
    passed positionally: `out=` costs more on small arrays."""
    value, m, v, grad = _read(inputs)
    beta1, beta2 = attrs['beta1'], attrs['beta2']
    root = math.sqrt(1.0 - attrs['beta2Power'])
    scale = -attrs['lr'] * root / (1.0 - attrs['beta1Power'])
    mul, add = np.multiply, np.add
    with quiet():
        new_m = mul(m, _scalar(beta1))
        scratch = mul(grad, _scalar(1.0 - beta1))
        add(new_m, scratch, new_m)
        mul(grad, _scalar(1.0 - beta2), scratch)
        mul(scratch, grad, scratch)
        new_v = mul(v, _scalar(beta2))
        add(new_v, scratch, new_v)
        np.sqrt(new_v, scratch)
        add(scratch, _scalar(attrs['epsilon'] * root), scratch)
        np.divide(new_m, scratch, scratch)
        mul(scratch, _scalar(scale), scratch)
        add(scratch, value, scratch)
    return _shaped(inputs, [scratch, new_m, new_v])


@register_kernel('ApplyAdaMax', 'cpu')
def apply_adamax(backend, inputs, attrs):
    """`lr` is the decayed rate lr / (1 + iterations * decay), as tfjs divides it."""
    value, m, u, grad = _read(inputs)
    beta1 = attrs['beta1']
    scale = _F32(-attrs['lr']) / (_F32(1) - _F32(attrs['beta1Power']))
    with quiet():
        new_m = np.multiply(m, _F32(beta1))
        scratch = np.multiply(grad, _F32(1 - beta1))
        new_m += scratch
        new_u = np.multiply(u, _F32(attrs['beta2']))
        np.abs(grad, out=scratch)
        np.maximum(new_u, scratch, out=new_u)
        new_value = np.add(new_u, _F32(attrs['epsilon']))
        np.divide(new_m, new_value, out=new_value)
        new_value *= scale
        new_value += value
    return _shaped(inputs, [new_value, new_m, new_u])


def _rmsprop(inputs, attrs, mg=None):
    """The shared body of ApplyRMSProp and ApplyCenteredRMSProp; `mg` is the
    centered variant's mean gradient (its new value is made here)."""
    value, ms, mom, grad = inputs
    rho = attrs['rho']
    with quiet():
        new_ms = np.multiply(ms, _F32(rho))
        scratch = np.square(grad)
        scratch *= _F32(1 - rho)
        new_ms += scratch
        new_mg = None
        if mg is None:
            np.add(new_ms, _F32(attrs['epsilon']), out=scratch)
        else:
            # sqrt(ms - mg^2 + epsilon): tfjs subtracts epsilon (NaN at zero gradients).
            new_mg = np.multiply(mg, _F32(rho))
            np.multiply(grad, _F32(1 - rho), out=scratch)
            new_mg += scratch
            np.square(new_mg, out=scratch)
            np.subtract(new_ms, scratch, out=scratch)
            scratch += _F32(attrs['epsilon'])
        np.sqrt(scratch, out=scratch)
        # mom * momentum + grad * lr / denominator
        new_mom = np.multiply(grad, _F32(attrs['lr']))
        np.divide(new_mom, scratch, out=scratch)
        np.multiply(mom, _F32(attrs['momentum']), out=new_mom)
        new_mom += scratch
        new_value = np.subtract(value, new_mom)
    return new_value, new_ms, new_mom, new_mg


@register_kernel('ApplyRMSProp', 'cpu')
def apply_rmsprop(backend, inputs, attrs):
    new_value, new_ms, new_mom, _ = _rmsprop(_read(inputs), attrs)
    return _shaped(inputs, [new_value, new_ms, new_mom])


@register_kernel('ApplyCenteredRMSProp', 'cpu')
def apply_centered_rmsprop(backend, inputs, attrs):
    value, mg, ms, mom, grad = _read(inputs)
    new_value, new_ms, new_mom, new_mg = _rmsprop([value, ms, mom, grad], attrs, mg)
    return _shaped(inputs, [new_value, new_mg, new_ms, new_mom])
