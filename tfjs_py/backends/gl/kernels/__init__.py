"""GL kernels, one module per family; importing registers them."""

from . import conv, elementwise, image, linalg, nn, optimizers, pool, reduce, shape  # noqa: F401
