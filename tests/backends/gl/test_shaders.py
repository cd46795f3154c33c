"""Every shader under gl/ compiles, in every variant the kernels use; errors
name the gl/ file and line."""

from __future__ import annotations

import re

import pytest

from tfjs_py.backends.gl import program, shaders

_UNARY_OPS = re.findall(r'defined\(OP_(\w+)\)', shaders.load('elementwise/unary_ops.glsl').text)
_BINARY_OPS = re.findall(r'defined\(OP_(\w+)\)', shaders.load('elementwise/binary_ops.glsl').text)


def _variants(name: str) -> list[dict]:
    """The defines each shader is compiled with here (one per OP and type)."""
    base = {'TEX_SHIFT': 14, 'LOCAL_SIZE': 256}
    f1 = {'IN0_FLOAT': 1, 'OUT0_FLOAT': 1}
    i1 = {'IN0_INT': 1, 'OUT0_INT': 1}
    if name == 'elementwise/unary.comp':
        out = [{**base, **f1, 'OP_' + op: 1, 'X_T': 'float'} for op in sorted(set(_UNARY_OPS))]
        out += [{**base, **i1, 'OP_' + op: 1, 'X_T': 'int'}
                for op in ('Abs', 'Neg', 'Square', 'Sign', 'Relu', 'Relu6', 'ClipByValue',
                           'Step', 'LogicalNot', 'ZerosLike', 'OnesLike', 'Cast')]
        out.append({**base, 'IN0_FLOAT': 1, 'OUT0_INT': 1, 'OUT0_BOOL': 1, 'OP_Cast': 1,
                    'X_T': 'float'})
        return out
    if name in ('elementwise/binary.comp',):
        f2 = {**base, 'IN0_FLOAT': 1, 'IN1_FLOAT': 1, 'OUT0_FLOAT': 1, 'X_T': 'float'}
        i2 = {**base, 'IN0_INT': 1, 'IN1_INT': 1, 'OUT0_INT': 1, 'X_T': 'int', 'X_INT': 1}
        return [{**kind, 'OP_' + op: 1, 'A_MODE': mode, 'B_MODE': 2 - mode}
                for op in sorted(set(_BINARY_OPS)) for kind in (f2, i2) for mode in (0, 1, 2)] \
            + [{**kind, 'OP_Add': 1, 'A_MODE': a, 'B_MODE': b}  # the bias-like broadcasts
               for kind in (f2, i2) for a, b in ((0, 3), (4, 0), (3, 2), (2, 4))]
    if name == 'elementwise/select.comp':
        return [{**base, 'IN0_INT': 1, 'IN1_FLOAT': 1, 'IN2_FLOAT': 1, 'OUT0_FLOAT': 1,
                 'C_MODE': 2, 'A_MODE': 0, 'B_MODE': 1}]
    if name == 'reduce/reduce.comp':
        return [{**base, **kind, 'OP_' + op: 1}
                for op in ('Sum', 'Mean', 'Prod', 'Max', 'Min', 'All', 'Any') for kind in (f1, i1)
                if not (op == 'Mean' and kind is i1)]  # Mean always gives float32
    if name == 'reduce/arg_reduce.comp':
        return [{**base, 'IN0_FLOAT': 1, 'OUT0_INT': 1, 'OP_' + op: 1}
                for op in ('ArgMax', 'ArgMin')]
    if name == 'shape/gather.comp':
        return [{**base, **kind, **mode} for kind in (f1, i1)
                for mode in ({}, {'TILE': 1}, {'PAD': 1}, {'MIRROR': 1})]
    if name in ('shape/gather_axis.comp', 'shape/one_hot.comp', 'reduce/segment_sum.comp',
                'shape/gather_nd.comp'):
        return [{**base, **f1, 'IN1_INT': 1}, {**base, **i1, 'IN1_INT': 1}]
    if name == 'linalg/matmul.comp':
        return [{**base, 'IN0_FLOAT': 1, 'IN1_FLOAT': 1, 'OUT0_FLOAT': 1},
                {**base, 'IN0_INT': 1, 'IN1_INT': 1, 'OUT0_INT': 1}]
    if name == 'reduce/cumulative.comp':
        return [{**base, **kind, 'OP_' + op: 1, **flags} for kind in (f1, i1)
                for op in ('Cumsum', 'Cumprod')
                for flags in ({}, {'EXCLUSIVE': 1, 'REVERSE': 1})]
    if name.startswith(('conv/', 'pool/')):
        flag = {'DEPTHWISE': 1} if name.startswith('conv') else {'OP_MaxPool': 1}
        other = {} if name.startswith('conv') else {'OP_AvgPool': 1}
        return [{**base, **f1, 'IN1_FLOAT': 1, **flag}, {**base, **f1, 'IN1_FLOAT': 1, **other}]
    if name == 'shape/scatter_nd.comp':
        return [{**base, **f1, 'IN1_INT': 1}, {**base, **i1, 'IN1_INT': 1, 'IN2_INT': 1,
                                               'UPDATE': 1}]
    if name == 'image/resize.comp':
        return [{**base, **f1, 'IN1_INT': 1}, {**base, **f1, 'IN1_INT': 1, 'IN2_FLOAT': 1,
                                               'BILINEAR': 1}]
    if name == 'nn/lrn.comp':
        return [{**base, **f1}, {**base, **f1, 'IN1_FLOAT': 1, 'IN2_FLOAT': 1, 'GRAD': 1}]
    if name == 'nn/softmax.comp':
        return [{**base, **f1}, {**base, **f1, 'LOG': 1}]
    if name == 'image/crop_and_resize.comp':
        return [{**base, **kind, 'OUT0_FLOAT': 1, 'IN1_FLOAT': 1, 'IN2_INT': 1, **method}
                for kind in ({'IN0_FLOAT': 1}, {'IN0_INT': 1}) for method in ({}, {'NEAREST': 1})]
    if name == 'random/multinomial.comp':
        return [{**base, **f1, 'IN1_FLOAT': 1}]
    if name == 'select/topk_rank.comp':
        return [{**base, 'IN0_FLOAT': 1, 'OUT0_INT': 1}, {**base, **i1}]
    if name == 'select/topk_order.comp':
        return [{**base, **i1}]
    if name == 'select/topk_bitonic.comp':
        return [{**base, kind: 1, 'OUT0_INT': 1, **step} for kind in ('IN0_FLOAT', 'IN0_INT')
                for step in ({'INIT': 1}, {'IN1_INT': 1}, {'IN1_INT': 1, 'HALVE': 1})]
    return [{**base, **f1}, {**base, **i1}]


def _with_each_flag(name: str) -> list[dict]:
    """The variants, plus the first one with each optional #ifdef flag of the
    shader set on its own (types and OPs are covered above)."""
    variants = _variants(name)
    text = shaders.load(name).text
    flags = set(re.findall(r'defined\((\w+)\)', text)) | set(re.findall(r'#ifdef (\w+)', text))
    flags -= set(re.findall(r'#define (\w+)', text))  # the shader's own switches
    flags = {f for f in flags if not re.match(r'(IN|OUT)\d_|OP_|X_INT$', f)}
    covered = set().union(*variants)
    return variants + [{**variants[0], flag: 1} for flag in sorted(flags - covered)]


def _key(defines: dict) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in defines.items()))


@pytest.mark.parametrize('name', shaders.all_shaders())
def test_every_shader_compiles(gl, name):
    for defines in _with_each_flag(name):
        compiled = gl.worker.call(program.compile_program, name, _key(defines))
        assert compiled.program > 0


def test_every_shader_is_covered():
    assert len(shaders.all_shaders()) >= 10
    for name in shaders.all_shaders():
        assert _variants(name)


def test_includes_are_resolved_once_with_file_markers():
    source = shaders.load('elementwise/unary.comp')
    assert source.files[0] == 'elementwise/unary.comp'
    assert 'include/common.glsl' in source.files
    assert source.files.count('include/math.glsl') == 1
    assert '#include' not in source.text
    assert '#line 1 1' in source.text


def test_compile_errors_name_the_file_and_line(gl):
    # without an OP_ define the OP macro is missing: the error is in unary.comp
    defines = _key({'TEX_SHIFT': 14, 'LOCAL_SIZE': 256, 'IN0_FLOAT': 1, 'OUT0_FLOAT': 1,
                    'X_T': 'float'})
    with pytest.raises(program.ShaderError, match=r'elementwise/unary\.comp:1[0-9]\('):
        gl.worker.call(program.compile_program, 'elementwise/unary.comp', defines)


def test_describe_log_maps_source_numbers():
    source = shaders.ShaderSource('', ['a.comp', 'include/b.glsl'])
    assert source.describe_log('1:7(3): error: x') == 'include/b.glsl:7(3): error: x'
