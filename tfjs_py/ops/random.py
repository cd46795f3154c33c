"""Random tensors from seeded generators: randomNormal, randomUniform,
truncatedNormal, randomGamma, multinomial."""

from __future__ import annotations
