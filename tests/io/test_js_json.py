"""model.json text as JavaScript's JSON.stringify writes it."""

from __future__ import annotations

import pytest

from tfjs_py.io.js_json import dumps, js_number

# String(x) in node 20 for each double.
CASES = [(0.0, '0'), (-0.0, '0'), (1.0, '1'), (1e-07, '1e-7'), (1.5e-07, '1.5e-7'),
         (0.0001, '0.0001'), (1e-06, '0.000001'), (1e-05, '0.00001'), (123.456, '123.456'),
         (1e16, '10000000000000000'), (1.2345e16, '12345000000000000'), (1e21, '1e+21'),
         (1.5e21, '1.5e+21'), (0.009999999776482582, '0.009999999776482582'), (-2.5, '-2.5'),
         (1.2345678901234569e23, '1.2345678901234569e+23'), (5e-324, '5e-324'), (0.1, '0.1')]


@pytest.mark.parametrize('value, text', CASES)
def test_numbers_print_as_javascript_does(value, text):
    assert js_number(value) == text


def test_compact_document():
    doc = {'a': [1, 2.0, None, True, 'é\n"'], 'b': float('nan'), 'c': {}}
    assert dumps(doc) == '{"a":[1,2,null,true,"é\\n\\""],"b":null,"c":{}}'
    with pytest.raises(TypeError, match='cannot write set'):
        dumps({'x': {1}})
