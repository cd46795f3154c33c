"""Kernel implementations per (kernel, backend) and one gradient per kernel.

Registering twice raises: each backend implements each kernel exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .kernel_table import KERNELS

KernelImpl = Callable[[Any, tuple, dict], Any]
GradientFn = Callable[..., tuple]

KERNEL_IMPLS: dict[tuple[str, str], KernelImpl] = {}
GRADIENTS: dict[str, GradientFn] = {}


def _check_known(name: str) -> None:
    if name not in KERNELS:
        raise KeyError(f'kernel {name!r} is not in engine/kernel_table.py')


def register_kernel(name: str, backend: str) -> Callable[[KernelImpl], KernelImpl]:
    """Decorator: `@register_kernel('Add', 'cpu') def add(backend, inputs, attrs)`."""
    _check_known(name)

    def register(fn: KernelImpl) -> KernelImpl:
        key = (name, backend)
        if key in KERNEL_IMPLS:
            raise ValueError(f'kernel {name!r} is already registered for backend {backend!r}')
        KERNEL_IMPLS[key] = fn
        return fn

    return register


def register_gradient(name: str, takesNone: bool = False) -> Callable[[GradientFn],
                                                                     GradientFn]:
    """Decorator: `@register_gradient('Add') def add_grad(dy, inputs, outputs, attrs)`
    returning one thunk (or None) per kernel input, in table order. With
    takesNone, a multi-output kernel's gradient gets None (not zeros) in dy
    for the outputs no gradient reached."""
    _check_known(name)

    def register(fn: GradientFn) -> GradientFn:
        if name in GRADIENTS:
            raise ValueError(f'gradient of {name!r} is already registered')
        if takesNone:
            fn.takesNone = True  # type: ignore[attr-defined]
        GRADIENTS[name] = fn
        return fn

    return register


def kernels_for(backend: str) -> dict[str, KernelImpl]:
    return {name: fn for (name, b), fn in KERNEL_IMPLS.items() if b == backend}
