"""Gradients of image kernels."""

from __future__ import annotations
