"""Gradients of image kernels: the resize gradients are backward kernels."""

from __future__ import annotations

from ..engine.registry import register_gradient
from ..ops.op import run_kernel


@register_gradient('ResizeBilinear')
def resize_bilinear_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('ResizeBilinearGrad', (inputs[0], dy), attrs),)


@register_gradient('ResizeNearestNeighbor')
def resize_nearest_neighbor_grad(dy, inputs, outputs, attrs):
    return (lambda: run_kernel('ResizeNearestNeighborGrad', (inputs[0], dy), attrs),)
