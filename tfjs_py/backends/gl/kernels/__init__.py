"""GL kernels, one module per family; importing registers them."""

from . import elementwise  # noqa: F401
