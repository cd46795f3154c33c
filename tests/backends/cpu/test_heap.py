"""The cpu backend keeps tensor-sized buffers in the process (glibc only)."""

import os
import platform
import subprocess
import sys

import pytest

from tfjs_py.backends.cpu import heap

glibc_only = pytest.mark.skipif(
    platform.system() != 'Linux' or platform.libc_ver()[0] != 'glibc', reason='glibc malloc')

# Page faults of the second of two rounds that allocate six 5 MB float32
# buffers and free them, as a training step does with its activations.
FAULTS = """
import resource, sys
import numpy as np
if sys.argv[1] == 'tf':
    import tfjs_py as tf
    tf.getBackend()
def rounds():
    start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        held = [np.ones(1_300_000, np.float32) for _ in range(6)]
        del held
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start
rounds()
print(rounds())
"""


def faults(mode: str, **env: str) -> int:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith('MALLOC_') and k != 'GLIBC_TUNABLES'}
    clean.update(env, TFJS_PY_BACKEND='cpu')
    done = subprocess.run([sys.executable, '-c', FAULTS, mode], env=clean, check=True,
                          capture_output=True, text=True)
    return int(done.stdout.split()[-1])


@glibc_only
def test_the_cpu_backend_stops_page_faulting_freed_buffers_back():
    # glibc's default gives the 30 MB back at each free (~7,600 faults a round).
    assert faults('tf') < 100
    assert faults('numpy') > 1000


@glibc_only
def test_a_users_own_malloc_setting_is_kept():
    assert faults('tf', MALLOC_TRIM_THRESHOLD_='131072') > 1000


def test_nothing_is_set_when_the_user_chose(monkeypatch):
    monkeypatch.setenv('GLIBC_TUNABLES', 'glibc.malloc.trim_threshold=0')
    assert heap.keep_tensor_buffers() is False
