"""Neural-network NumPy kernels."""

from __future__ import annotations
