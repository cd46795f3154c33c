"""The @op decorator and input conversion shared by every op.

An op is a plain function: it validates, converts TensorLike values and asks
the engine to run a kernel. `@op` records it in `OPS` (the tf namespace reads
it), attaches it to Tensor for chaining (`t.add(b)`), and lets keyword
arguments be given in snake_case (`keep_dims=True`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .._naming import snake_to_camel
from ..dtypes import upcast
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, attach_op
from .broadcast import broadcast_shape

F = TypeVar('F', bound=Callable[..., Any])

OPS: dict[str, Callable[..., Any]] = {}
# Ops under a namespace: tf.linalg.*, tf.image.*, tf.fused.*
NAMESPACES: dict[str, dict[str, Callable[..., Any]]] = {}
run_kernel = ENGINE.run_kernel


def op(fn: F | None = None, *, name: str | None = None, chain: bool | None = None,
       namespace: str | None = None) -> Any:
    """Register a public op; `name` defaults to the function name without a
    trailing underscore (`sum_` -> `sum`). Top-level ops chain on Tensor
    unless chain=False; namespaced ops (tf.linalg.qr) don't unless chain=True."""

    def register(f: F) -> F:
        public = name or f.__name__.rstrip('_')
        table = OPS if namespace is None else NAMESPACES.setdefault(namespace, {})
        if public in table:
            raise ValueError(f'op {public!r} is defined twice')
        params = inspect.signature(f).parameters
        if any(p != p.lower() for p in params):
            f = _accept_snake_kwargs(f)
        table[public] = f
        if chain if chain is not None else namespace is None:
            attach_op(public, f)
        return f

    return register(fn) if fn is not None else register


def _accept_snake_kwargs(f: F) -> F:
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = {snake_to_camel(k): v for k, v in kwargs.items()}
        return f(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def convert(x: Any, arg: str, fn: str, dtype: str | None = None) -> Tensor:
    """A Tensor from a Tensor or a TensorLike (number, nested list, ndarray)."""
    if isinstance(x, Tensor):
        return x
    from .creation import from_values
    try:
        return from_values(x, None, dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"argument {arg!r} passed to {fn!r} must be a Tensor or TensorLike, "
                        f"but got {type(x).__name__}: {exc}") from None


def convert_list(xs: Any, arg: str, fn: str) -> list[Tensor]:
    if not isinstance(xs, list | tuple):
        raise TypeError(f'argument {arg!r} passed to {fn!r} must be a list of tensors')
    return [convert(x, f'{arg}[{i}]', fn) for i, x in enumerate(xs)]


def cast_to(x: Tensor, dtype: str) -> Tensor:
    if x.dtype == dtype:
        return x
    return run_kernel('Cast', (x,), {'dtype': dtype})


def match_types(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """tfjs' makeTypesMatch: both cast to the upcast of their dtypes."""
    if a.dtype == b.dtype:
        return a, b
    dtype = upcast(a.dtype, b.dtype)
    return cast_to(a, dtype), cast_to(b, dtype)


def binary_inputs(a: Any, b: Any, fn: str) -> tuple[Tensor, Tensor]:
    """Convert, upcast and check broadcasting for a two-input elementwise op."""
    if a.__class__ is not Tensor and not isinstance(a, Tensor):
        a = convert(a, 'a', fn)
    if b.__class__ is not Tensor and not isinstance(b, Tensor):
        b = convert(b, 'b', fn)
    if a.dtype != b.dtype:
        a, b = match_types(a, b)
    if a._shape != b._shape and a._shape and b._shape:
        broadcast_shape(a._shape, b._shape)
    return a, b
