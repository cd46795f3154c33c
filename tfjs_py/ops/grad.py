"""The gradient API: grad, grads, valueAndGrad(s), variableGrads, customGrad."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._naming import AttrDict
from ..engine.engine import ENGINE
from ..engine.tensor import Tensor, Variable
from .op import op


def _check_tensor(x: Any, what: str) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(f'{what} must be a Tensor, got {type(x).__name__}')


@op(chain=False)
def grad(f: Callable[[Tensor], Tensor]) -> Callable[..., Tensor]:
    """g(x, dy?) = d f(x) / dx."""

    def g(x: Tensor, dy: Tensor | None = None) -> Tensor:
        _check_tensor(x, 'the x passed to grad(f)(x)')
        value, (gx,) = ENGINE.gradients(lambda: f(x), [x], dy)
        value.dispose()
        return gx

    return g


@op(chain=False)
def grads(f: Callable[..., Tensor]) -> Callable[..., list[Tensor]]:
    """g([x1, x2, ...], dy?) = the gradients of f(x1, x2, ...) for each x."""

    def g(args: list[Tensor], dy: Tensor | None = None) -> list[Tensor]:
        for i, x in enumerate(args):
            _check_tensor(x, f'argument {i} passed to grads(f)(args)')
        value, gs = ENGINE.gradients(lambda: f(*args), list(args), dy)
        value.dispose()
        return gs

    return g


@op(chain=False)
def valueAndGrad(f: Callable[[Tensor], Tensor]) -> Callable[..., AttrDict]:
    def g(x: Tensor, dy: Tensor | None = None) -> AttrDict:
        _check_tensor(x, 'the x passed to valueAndGrad(f)(x)')
        value, (gx,) = ENGINE.gradients(lambda: f(x), [x], dy)
        return AttrDict(value=value, grad=gx)

    return g


@op(chain=False)
def valueAndGrads(f: Callable[..., Tensor]) -> Callable[..., AttrDict]:
    def g(args: list[Tensor], dy: Tensor | None = None) -> AttrDict:
        for i, x in enumerate(args):
            _check_tensor(x, f'argument {i} passed to valueAndGrads(f)(args)')
        value, gs = ENGINE.gradients(lambda: f(*args), list(args), dy)
        return AttrDict(value=value, grads=gs)

    return g


@op(chain=False)
def variableGrads(f: Callable[[], Tensor], varList: list[Variable] | None = None) -> AttrDict:
    """The value of a scalar f() and its gradients for each trainable variable,
    keyed by variable name."""
    if varList is None:
        varList = [v for v in ENGINE.registeredVariables.values() if v.trainable]
    else:
        for i, v in enumerate(varList):
            if not isinstance(v, Variable):
                raise TypeError(f'variableGrads: varList[{i}] is not a Variable')
        varList = [v for v in varList if v.trainable]
    if not varList:
        raise ValueError('variableGrads: there are no trainable variables to differentiate')
    value, gs = ENGINE.gradients(f, varList, None, allow_no_gradients=True)
    if value.rank != 0:
        value.dispose()
        ENGINE.dispose(gs)
        raise ValueError(f'variableGrads: f must return a scalar, got shape {value.shape}')
    if all(g is None for g in gs):
        value.dispose()
        raise ValueError('variableGrads: no variable is connected to the result of f')
    return AttrDict(value=value, grads={v.name: g for v, g in zip(varList, gs, strict=True)
                                        if g is not None})


@op(chain=False)
def customGrad(f: Callable[..., dict]) -> Callable[..., Tensor]:
    """f(*inputs, save) returns {'value': y, 'gradFunc': (dy, saved) -> [dx...]}."""
    return ENGINE.custom_grad(f)
