"""Public ops, one module per family. Importing a module registers its ops in
`op.OPS` and attaches them to Tensor."""

from . import creation, elementwise, grad, linalg, reduce, shape  # noqa: F401
from .op import OPS

__all__ = ['OPS']
