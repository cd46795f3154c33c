"""Pooling NumPy kernels."""

from __future__ import annotations
