"""The context, the backend's registration and its default-choice rule."""

from __future__ import annotations

import warnings

import pytest

import tfjs_py as tf
from tfjs_py.backends.backend import BackendUnavailable
from tfjs_py.backends.gl import backend as gl_backend


def test_context_is_opengl_45_with_compute(gl):
    ctx = gl.context
    assert ctx.kind in ('egl', 'glfw')
    assert ctx.version.split()[0] >= '4.5'
    assert ctx.max_texture_size >= 1024
    assert gl.worker.on_owner_thread is False


def test_registered_as_gl_with_webgl_alias(gl):
    eng = tf.engine()
    assert 'gl' in eng.backend_names()
    assert eng.canonical_name('webgl') == 'gl'
    assert eng.set_backend_sync('webgl')
    assert tf.getBackend() == 'gl'


async def test_set_backend_coroutine(gl):
    assert await tf.setBackend('gl') is True
    assert tf.getBackend() == 'gl'
    x = tf.tensor([1.0, 2.0])
    assert (await x.data()).tolist() == [1.0, 2.0]
    x.dispose()


def test_software_renderer_is_not_chosen_by_default(gl, monkeypatch):
    if not gl.context.software:
        pytest.skip(f'{gl.context.renderer} is a hardware renderer')
    with pytest.raises(BackendUnavailable, match='software renderer'):
        gl_backend._factory(False)
    tf.env().set('SOFTWARE_WEBGL_ENABLED', True)
    try:
        backend = gl_backend._factory(False)
        backend.dispose()
    finally:
        tf.env().set('SOFTWARE_WEBGL_ENABLED', False)
    # the engine then falls back to cpu, with a warning, as tfjs does
    eng = tf.engine()
    saved = eng._backend
    monkeypatch.delenv('TFJS_PY_BACKEND', raising=False)
    try:
        eng._backend = None
        instance = eng._instances.pop('gl')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            assert eng.backend.name == 'cpu'
        assert any('software renderer' in str(w.message) for w in caught)
    finally:
        eng._instances['gl'] = instance
        eng._backend = saved


def test_a_missing_kernel_is_a_gl_gap(gl):
    eng = tf.engine()
    with pytest.raises(NotImplementedError, match="'NoSuchKernel' is not implemented on "
                                                  "backend 'gl'"):
        eng._find_kernel(gl, 'NoSuchKernel')
