"""Backends: where tensor data lives and where kernels run."""
