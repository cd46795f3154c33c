"""tidy scopes and the active tapes, held in ContextVars so that two tasks (a
fit and a predict in one web server) never see each other's scopes."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

# The innermost tidy scope: the list of tensors made inside it, or None.
SCOPE: ContextVar[list | None] = ContextVar('tfjs_py_scope', default=None)
# The tapes recording right now, outermost first.
TAPES: ContextVar[tuple] = ContextVar('tfjs_py_tapes', default=())
# The tape whose gradients are being computed (in gradient functions), or None.
DIFFERENTIATING: ContextVar[Any] = ContextVar('tfjs_py_differentiating', default=None)
# The Recording of a traced call in progress (engine/trace.py), or None: a
# context's own, so ops another thread runs meanwhile are not recorded.
RECORDER: ContextVar[Any] = ContextVar('tfjs_py_recorder', default=None)


# Values that never hold a tensor: collect_tensors skips them without a call.
_LEAVES = frozenset((float, int, bool, str, type(None)))


def collect_tensors(value: Any, out: list, tensor_type: type) -> list:
    """Every Tensor inside a value: a tensor, or lists, tuples, dicts of them."""
    if isinstance(value, tensor_type):
        out.append(value)
        return out
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return out
    for v in items:
        cls = v.__class__
        if cls is tensor_type:
            out.append(v)
        elif cls not in _LEAVES:
            collect_tensors(v, out, tensor_type)
    return out
