"""Gradients of neural-network kernels."""

from __future__ import annotations
