"""NumPy kernels, one module per family; importing registers them."""

from . import elementwise, linalg, reduce, shape  # noqa: F401
