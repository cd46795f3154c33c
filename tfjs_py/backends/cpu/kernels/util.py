"""Helpers shared by the NumPy kernels."""

from __future__ import annotations

import numpy as np


def arr(t) -> np.ndarray:
    """The ndarray of a tensor, in the tensor's shape (a view when reshaped)."""
    v = t.dataId.rec
    return v if v.shape == t._shape else v.reshape(t._shape)
