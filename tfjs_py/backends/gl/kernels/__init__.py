"""GL kernels, one module per family; importing registers them."""

from . import elementwise, linalg, nn, reduce, shape  # noqa: F401
