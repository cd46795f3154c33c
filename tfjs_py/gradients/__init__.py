"""One gradient per differentiable kernel, written with public ops; importing
a module registers its gradients."""

from . import elementwise, linalg, reduce, shape  # noqa: F401
