"""One gradient per differentiable kernel, written with public ops; importing
a module registers its gradients."""

from . import conv, elementwise, image, linalg, nn, pool, recurrent, reduce, shape  # noqa: F401
