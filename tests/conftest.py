"""Shared fixtures: the backend parametrization and the leak guard."""

from __future__ import annotations

import gc
import os
import traceback

import pytest

import tfjs_py as tf

REQUIRE_GL = os.environ.get('TFJS_PY_REQUIRE_GL', '') not in ('', '0')
_gl_state: dict[str, object] = {}


def gl_available() -> tuple[bool, str]:
    if 'ok' not in _gl_state:
        eng = tf.engine()
        if 'gl' not in eng.backend_names():
            _gl_state.update(ok=False, why="no 'gl' backend is registered")
        else:
            try:
                eng._instance('gl', explicit=True)
                _gl_state.update(ok=True, why='')
            except Exception as exc:  # any failure to make a context is reported
                _gl_state.update(ok=False, why=f'{type(exc).__name__}: {exc}')
    return bool(_gl_state['ok']), str(_gl_state['why'])


@pytest.fixture(params=['cpu', pytest.param('gl', marks=pytest.mark.gl)])
def backend(request: pytest.FixtureRequest):
    """Runs the test once on each backend; 'gl' is skipped where no GL context
    can be made, and fails instead when TFJS_PY_REQUIRE_GL is set (CI)."""
    name = request.param
    if name == 'gl':
        ok, why = gl_available()
        if not ok:
            if REQUIRE_GL:
                pytest.fail(f'GL backend required but unavailable: {why}')
            pytest.skip(f'GL backend unavailable: {why}')
    eng = tf.engine()
    previous = eng.backend.name
    assert eng.set_backend_sync(name)
    try:
        yield name
    finally:
        eng.set_backend_sync(previous)


@pytest.fixture(autouse=True)
def leak_guard():
    """Every test leaves tf.memory().numTensors where it found it."""
    gc.collect()
    start = tf.memory().numTensors
    yield
    gc.collect()
    end = tf.memory().numTensors
    assert end == start, f'{end - start} tensor(s) leaked by this test'


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A kernel the GL backend does not have yet is a known gap: the test is
    reported as xfailed with the kernel's name, and passes once it exists."""
    try:
        return (yield)
    except NotImplementedError as exc:
        if "on backend 'gl'" not in str(exc):
            raise
        reason = f'GL gap: {exc}'
        # The traceback's frames hold the test's tensors: free them before the leak guard.
        traceback.clear_frames(exc.__traceback__)
    pytest.xfail(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Once a failed test's report is written, its frames let go of their
    tensors, so the leak guard reports the failure once, not as a leak too."""
    report = yield
    if call.when == 'call' and call.excinfo is not None:
        traceback.clear_frames(call.excinfo.tb)
    return report
