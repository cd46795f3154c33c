"""Pooling: maxPool, avgPool, their 3-D forms, pool, maxPoolWithArgmax."""

from __future__ import annotations
