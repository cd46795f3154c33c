"""The GL backend instance for these tests, made once, or the module skipped
(a failure instead when TFJS_PY_REQUIRE_GL is set)."""

from __future__ import annotations

import pytest

import tfjs_py as tf
from tests.conftest import REQUIRE_GL, gl_available


@pytest.fixture
def gl():
    # Resolve the default backend first: the engine would otherwise reuse the
    # instance gl_available() makes and skip the software-renderer refusal.
    eng = tf.engine()
    eng.backend  # noqa: B018
    ok, why = gl_available()
    if not ok:
        if REQUIRE_GL:
            pytest.fail(f'GL backend required but unavailable: {why}')
        pytest.skip(f'GL backend unavailable: {why}')
    previous = eng.backend.name
    assert eng.set_backend_sync('gl')
    try:
        yield eng.backend
    finally:
        eng.set_backend_sync(previous)
