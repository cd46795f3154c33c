"""The NumPy backend ('cpu')."""

from . import kernels  # noqa: F401  (registers the kernels)
from .backend import CpuBackend

__all__ = ['CpuBackend']
