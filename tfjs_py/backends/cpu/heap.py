"""glibc's malloc thresholds, set for tensor-sized buffers.

By default glibc maps each buffer over 128 KB on its own until it sees such a
buffer freed, and gives free memory at the top of the heap back to the OS as
soon as it exceeds twice that threshold. A training step frees and allocates
megabytes of activations and gradients every batch, so every batch faults
those pages back in: 16 of the 44 ms of a batch of the benchmark CNN here.
Fixing the mmap threshold at glibc's own ceiling for it (32 MB) and keeping up
to 64 MB free at the heap top ends that, for at most 64 MB of memory held.

A user who set any malloc tunable in the environment keeps their own policy.
"""

from __future__ import annotations

import ctypes
import os
import platform

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20
_USER_SETTINGS = ('MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'MALLOC_TOP_PAD_',
                  'MALLOC_MMAP_MAX_')


def _user_chose() -> bool:
    return (any(name in os.environ for name in _USER_SETTINGS)
            or 'glibc.malloc' in os.environ.get('GLIBC_TUNABLES', ''))


def keep_tensor_buffers() -> bool:
    """Set the two thresholds on glibc, unless the user chose their own;
    True if they were set."""
    if platform.system() != 'Linux' or platform.libc_ver()[0] != 'glibc' or _user_chose():
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False
