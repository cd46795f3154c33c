"""Neural-network ops: softmax, logSoftmax, dropout, batchNorm, localResponseNormalization."""

from __future__ import annotations
