"""GL kernels, one module per family; importing registers them."""

from . import (  # noqa: F401
    conv,
    einsum,
    elementwise,
    image,
    linalg,
    nn,
    optimizers,
    pool,
    random,
    recurrent,
    reduce,
    select,
    shape,
)
