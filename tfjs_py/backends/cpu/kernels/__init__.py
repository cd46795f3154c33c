"""NumPy kernels, one module per family; importing registers them."""

from . import conv, elementwise, image, linalg, nn, optimizers, pool, random, reduce, shape  # noqa: F401
