"""Optimizer update kernels: one shader per optimizer (gl/optimizers/) reads
the value, the accumulators and the gradient and writes the new value and
accumulators in one dispatch. Hyperparameters are float uniforms (float32
on the GPU, as tfjs makes scalars from them), so a learning rate or beta
power that changes every step does not recompile anything."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine.registry import register_kernel
from ..program import ProgramSpec
from .util import groups, rec


def _apply(backend, shader: str, inputs: tuple, outputs: int, uniforms: dict[str, Any],
           defines: dict[str, Any] | None = None) -> list:
    shape = inputs[0]._shape
    outs = [backend.new_output(shape, 'float32') for _ in range(outputs)]
    n = outs[0].rec.size
    backend.run(ProgramSpec(f'optimizers/{shader}', [rec(t) for t in inputs],
                            [o.rec for o in outs], groups(n) if n else 0, defines or {},
                            {'u_size': n, **{k: float(v) for k, v in uniforms.items()}}))
    return outs


@register_kernel('ApplyGradientDescent', 'gl')
def apply_gradient_descent(backend, inputs, attrs):
    return _apply(backend, 'gradient_descent.comp', inputs, 1, {'u_neg_lr': -attrs['lr']})[0]


@register_kernel('ApplyMomentum', 'gl')
def apply_momentum(backend, inputs, attrs):
    return _apply(backend, 'momentum.comp', inputs, 2,
                  {'u_neg_lr': -attrs['lr'], 'u_momentum': attrs['momentum']},
                  {'NESTEROV': 1} if attrs['useNesterov'] else None)


@register_kernel('ApplyAdagrad', 'gl')
def apply_adagrad(backend, inputs, attrs):
    return _apply(backend, 'adagrad.comp', inputs, 2,
                  {'u_neg_lr': -attrs['lr'], 'u_epsilon': attrs['epsilon']})


@register_kernel('ApplyAdadelta', 'gl')
def apply_adadelta(backend, inputs, attrs):
    rho = attrs['rho']
    return _apply(backend, 'adadelta.comp', inputs, 3,
                  {'u_neg_lr': -attrs['lr'], 'u_rho': rho, 'u_one_minus_rho': 1 - rho,
                   'u_epsilon': attrs['epsilon']})


@register_kernel('ApplyAdam', 'gl')
def apply_adam(backend, inputs, attrs):
    b1, b2 = attrs['beta1'], attrs['beta2']
    one = np.float32(1)
    return _apply(backend, 'adam.comp', inputs, 3, {
        'u_neg_lr': -attrs['lr'], 'u_beta1': b1, 'u_one_minus_beta1': 1 - b1,
        'u_beta2': b2, 'u_one_minus_beta2': 1 - b2, 'u_epsilon': attrs['epsilon'],
        # 1 - beta^t in float32, as tfjs computes it from float32 variables.
        'u_c1': one - np.float32(attrs['beta1Power']),
        'u_c2': one - np.float32(attrs['beta2Power'])})


@register_kernel('ApplyAdaMax', 'gl')
def apply_adamax(backend, inputs, attrs):
    b1 = attrs['beta1']
    scale = np.float32(-attrs['lr']) / (np.float32(1) - np.float32(attrs['beta1Power']))
    return _apply(backend, 'adamax.comp', inputs, 3, {
        'u_scale': scale, 'u_beta1': b1, 'u_one_minus_beta1': 1 - b1,
        'u_beta2': attrs['beta2'], 'u_epsilon': attrs['epsilon']})


def _rmsprop(backend, inputs, attrs, centered: bool) -> list:
    rho = attrs['rho']
    return _apply(backend, 'rmsprop.comp', inputs, 4 if centered else 3, {
        'u_lr': attrs['lr'], 'u_rho': rho, 'u_one_minus_rho': 1 - rho,
        'u_momentum': attrs['momentum'], 'u_epsilon': attrs['epsilon']},
        {'CENTERED': 1} if centered else None)


@register_kernel('ApplyRMSProp', 'gl')
def apply_rmsprop(backend, inputs, attrs):
    return _rmsprop(backend, inputs, attrs, False)


@register_kernel('ApplyCenteredRMSProp', 'gl')
def apply_centered_rmsprop(backend, inputs, attrs):
    return _rmsprop(backend, inputs, attrs, True)
