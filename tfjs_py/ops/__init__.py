"""Public ops, one module per family. Importing a module registers its ops in
`op.OPS` (or a namespace such as tf.linalg) and attaches them to Tensor."""

from . import (  # noqa: F401
    conv,
    creation,
    elementwise,
    grad,
    image,
    indexing,
    linalg,
    nn,
    pool,
    random,
    reduce,
    shape,
)
from .op import NAMESPACES, OPS

__all__ = ['NAMESPACES', 'OPS']
