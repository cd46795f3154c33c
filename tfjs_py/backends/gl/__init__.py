"""The OpenGL backend ('gl', alias 'webgl'); importing registers it and its kernels."""

from . import kernels  # noqa: F401  (registers the kernels)
from .backend import GlBackend

__all__ = ['GlBackend']
