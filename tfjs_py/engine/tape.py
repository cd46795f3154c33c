"""The gradient tape: kernels recorded while a gradient is being taken, and
backpropagation over the recorded path.

A node is (kernel name, inputs, outputs, attrs, custom gradient or None).
Gradient functions return one thunk (or None) per input, so only the
gradients that lie on the path from the sources to the result are computed.
A multi-output node's gradient gets zeros for the outputs no gradient
reached, or None in their place if the function has `takesNone` set (see
registry.register_gradient and the 'gradFuncTakesNone' of customGrad).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .registry import GRADIENTS

Node = tuple  # (name, inputs, outputs, attrs, custom_grad)


class Tape:
    __slots__ = ('nodes', 'saved_ids', 'owned')

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.saved_ids: set[int] = set()
        # Tensors a tidy would have disposed, kept alive for the backward pass.
        self.owned: list = []

    def record(self, node: Node, extra: tuple = ()) -> None:
        self.nodes.append(node)
        add = self.saved_ids.add
        for t in node[1]:
            if t is not None:
                add(t.id)
        for t in node[2]:
            add(t.id)
        for t in extra:
            add(t.id)


def _path(nodes: list[Node], source_ids: set[int], y_id: int) -> tuple[list[Node], set[int]]:
    """The nodes on some path from a source to y, latest first, and the ids of
    the tensors whose gradient is needed."""
    reach = set(source_ids)
    forward = []
    for node in nodes:
        for t in node[1]:
            if t is not None and t.id in reach:
                # A bool result has no derivative: gradients stop there (comparisons
                # feeding where() or a mask need no gradient of their own).
                for o in node[2]:
                    if o.dtype != 'bool':
                        reach.add(o.id)
                forward.append(node)
                break
    needed = {y_id}
    path = []
    for node in reversed(forward):
        for o in node[2]:
            if o.id in needed:
                for t in node[1]:
                    if t is not None and t.id in reach:
                        needed.add(t.id)
                path.append(node)
                break
    return path, needed


def backprop(nodes: list[Node], source_ids: set[int], y: Any, dy: Any,
             run_kernel: Callable[[str, tuple, dict], Any]) -> dict[int, Any]:
    """Gradients of y with respect to every tensor on the path, keyed by id."""
    path, needed = _path(nodes, source_ids, y.id)
    grads: dict[int, Any] = {y.id: dy}
    get = grads.get
    for name, inputs, outputs, attrs, custom in path:
        grad_fn = custom if custom is not None else GRADIENTS.get(name)
        if len(outputs) == 1:
            upstream = get(outputs[0].id)
            if upstream is None:
                continue
        else:
            upstream = [get(o.id) for o in outputs]
            if all(g is None for g in upstream):
                continue
            if not getattr(grad_fn, 'takesNone', False):
                # tfjs' zeros for the outputs no gradient reached
                upstream = [g if g is not None else run_kernel('ZerosLike', (o,), {})
                            for g, o in zip(upstream, outputs, strict=True)]
        if grad_fn is None:
            raise NotImplementedError(f'gradient for kernel {name!r} is not defined')
        thunks = grad_fn(upstream, inputs, outputs, attrs)
        if len(thunks) != len(inputs):
            raise RuntimeError(f'gradient of {name!r} gave {len(thunks)} results '
                               f'for {len(inputs)} inputs')
        for index, x in enumerate(inputs):
            thunk = thunks[index]
            if x is None or thunk is None or x.id not in needed:
                continue
            g = thunk()
            if g._shape != x._shape:
                raise ValueError(f'gradient of {name!r} for input {index} has shape '
                                 f'{list(g._shape)}, but the input has shape {list(x._shape)}')
            prev = get(x.id)
            grads[x.id] = g if prev is None else run_kernel('Add', (prev, g), {})
    return grads
