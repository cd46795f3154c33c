"""The GL owner thread's queue and the per-dispatch fast path (raw calls,
uniforms prepared from the program's declared types)."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.backends.gl import program, raw, worker


def test_commands_run_in_submission_order(gl):
    seen = []
    for i in range(worker.WAKE_BATCH + 10):  # past the batch that wakes the thread
        gl.worker.submit(seen.append, i)
    assert gl.worker.call(len, seen) == worker.WAKE_BATCH + 10
    assert seen == list(range(worker.WAKE_BATCH + 10))


def test_flush_runs_queued_commands_without_a_wait(gl):
    gl.sync()
    ran = threading.Event()
    gl.worker.submit(ran.set)
    gl.worker.flush()
    assert ran.wait(10)


def test_a_failed_command_is_raised_by_the_next_call(gl):
    def fail():
        raise ValueError('boom')

    gl.worker.submit(fail)
    with pytest.raises(RuntimeError, match='a queued GL command failed: boom'):
        gl.sync()
    gl.sync()  # raised once, and the thread goes on


def test_uniforms_are_set_with_the_declared_type(gl):
    key = program.program_key('elementwise/unary.comp', ['float32'], ['float32'],
                              {'OP_LeakyRelu': 1, 'X_T': 'float'}, program.LOCAL_SIZE, gl.shift)
    compiled = gl.worker.call(program.compile_program, *key)
    assert compiled.uniforms['u_alpha'][1] is True
    assert compiled.uniforms['u_size'][1] is False
    calls = program.uniform_calls(compiled, {'u_alpha': 2, 'u_size': 3.0, 'u_unused': 1})
    table = raw.gl()
    assert len(calls) == 2  # a name the shader does not have is skipped
    (set_alpha, alpha_args), = [c for c in calls if c[1][0] == compiled.uniforms['u_alpha'][0]]
    (set_size, size_args), = [c for c in calls if c[1][0] == compiled.uniforms['u_size'][0]]
    assert set_alpha is table.glUniform1f and alpha_args[1] == 2.0
    assert set_size is table.glUniform1i and size_args[1] == 3


def test_leaky_relu_with_an_integer_alpha_attr(gl):
    x = tf.tensor([-2.0, 3.0])
    y = tf.leakyRelu(x, 1)
    np.testing.assert_array_equal(y.dataSync(), [-2.0, 3.0])
    tf.dispose([x, y])


def test_llvmpipe_thread_setting_is_not_left_in_the_environment(gl):
    # create_context sets LP_NUM_THREADS only while it makes the context.
    if 'LP_NUM_THREADS' in os.environ:
        pytest.skip('LP_NUM_THREADS is set by the user')
    backend = type(gl)()
    try:
        assert 'LP_NUM_THREADS' not in os.environ
    finally:
        backend.dispose()
