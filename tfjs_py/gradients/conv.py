"""Gradients of convolution kernels."""

from __future__ import annotations
