"""tf.image: resizeBilinear, resizeNearestNeighbor, cropAndResize, flipLeftRight."""

from __future__ import annotations
