"""Every kernel of the table has an implementation on every backend and, when
differentiable, a gradient."""

from __future__ import annotations

import pytest

import tfjs_py  # noqa: F401  (registers every kernel and gradient)
from tfjs_py.engine.kernel_table import KERNELS
from tfjs_py.engine.registry import GRADIENTS, KERNEL_IMPLS

_NON_SHARED = sorted(name for name, spec in KERNELS.items() if not spec.shared)
_DIFFERENTIABLE = sorted(name for name, spec in KERNELS.items() if spec.differentiable)


@pytest.mark.parametrize('kernel', _NON_SHARED)
def test_cpu_implements(kernel):
    assert (kernel, 'cpu') in KERNEL_IMPLS, f'{kernel} has no cpu implementation'


@pytest.mark.parametrize('kernel', _DIFFERENTIABLE)
def test_gradient_registered(kernel):
    assert kernel in GRADIENTS, f'{kernel} has no gradient'


def test_registrations_name_known_kernels():
    assert {name for name, _ in KERNEL_IMPLS} <= set(KERNELS)
    assert set(GRADIENTS) <= set(KERNELS)
