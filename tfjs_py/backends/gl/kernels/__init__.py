"""GL kernels, one module per family; importing registers them."""

from . import conv, elementwise, linalg, nn, pool, reduce, shape  # noqa: F401
