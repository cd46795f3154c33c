"""Convolution NumPy kernels, on BLAS (im2col)."""

from __future__ import annotations
