"""Convolutions: conv1d, conv2d, conv2dTranspose, conv3d, depthwise, separable;
tf.fused.conv2d."""

from __future__ import annotations
