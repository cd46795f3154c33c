"""tf.sequential, tf.model and the functional graph: structure, summary and
JSON against what TensorFlow.js 4.22 prints and writes for the same models
(tests/models/tfjs_reference.json, made with tests/reference/tfjs_eval.js)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tfjs_py.io.model_json import from_pythonic

REFERENCE = json.loads((Path(__file__).parent / 'tfjs_reference.json').read_text())


def dispose_model(model):
    while model._refCount:
        model.dispose()


def make_sequential():
    m = tf.sequential({'name': 'seq'})
    m.add(tf.layers.dense({'units': 3, 'inputShape': [4], 'name': 'd1',
                           'kernelRegularizer': tf.regularizers.l2({'l2': 0.5})}))
    m.add(tf.layers.dropout({'rate': 0.5, 'name': 'drop'}))
    m.add(tf.layers.dense({'units': 2, 'activation': 'relu', 'name': 'd2',
                           'kernelConstraint': 'nonNeg'}))
    return m


def make_functional(outputs='both'):
    a = tf.input({'shape': [4], 'name': 'a'})
    b = tf.input({'shape': [4], 'name': 'b'})
    shared = tf.layers.dense({'units': 3, 'name': 'shared'})
    cat = tf.layers.concatenate({'name': 'cat'}).apply([shared.apply(a), shared.apply(b)])
    out = tf.layers.dense({'units': 1, 'name': 'out'}).apply(cat)
    return tf.model({'inputs': [a, b], 'outputs': [out, cat] if outputs == 'both' else out,
                     'name': 'fm'})


def test_seed_doc_sequential_example(backend):
    model = tf.sequential()
    model.add(tf.layers.dense({'units': 1, 'inputShape': [1]}))
    assert model.name.startswith('sequential_')
    assert model.layers[0].name.startswith('dense_Dense')
    y = model.apply(tf.tensor2d([[5]], [1, 1]))
    assert y.shape == [1, 1]
    y.dispose()
    dispose_model(model)


def test_sequential_summary_matches_tfjs(backend):
    m = make_sequential()
    lines = []
    m.summary(printFn=lines.append)
    assert lines == REFERENCE['seq_summary']
    dispose_model(m)


def test_functional_summary_matches_tfjs(backend):
    m = make_functional(outputs='one')
    lines = []
    m.summary(None, None, lines.append)
    assert lines == REFERENCE['functional_summary']
    dispose_model(m)


def test_to_json_matches_tfjs(backend):
    for make, key in ((make_sequential, 'seq_json'), (make_functional, 'functional_json')):
        m = make()
        assert m.toJSON() == REFERENCE[key]
        assert m.toJSON(None, False) == json.loads(REFERENCE[key])
        dispose_model(m)


def test_nested_model_json_matches_tfjs(backend):
    x = tf.input({'shape': [3], 'name': 'x'})
    inner = tf.sequential({'name': 'inner', 'layers': [
        tf.layers.dense({'units': 2, 'inputShape': [3], 'name': 'id1'})]})
    out = tf.layers.dense({'units': 1, 'name': 'od'}).apply(inner.apply(x))
    m = tf.model({'inputs': x, 'outputs': out, 'name': 'outer'})
    assert m.toJSON() == REFERENCE['nested_json']
    assert [la.name for la in m.layers] == ['x', 'inner', 'od']
    assert m.countParams() == 11
    value = tf.ones([2, 3])
    direct = m.apply(value)
    by_hand = tf.tidy(lambda: m.getLayer('od').apply(inner.apply(value)))
    np.testing.assert_allclose(direct.numpy(), by_hand.numpy(), rtol=1e-6)
    tf.dispose([value, direct, by_hand])
    dispose_model(m)


def test_functional_graph_runs_and_reloads(backend):
    m = make_functional()
    assert m.inputNames == ['a', 'b']
    assert m.outputNames == ['out', 'cat']
    assert [la.name for la in m.layers] == ['a', 'b', 'shared', 'cat', 'out']
    assert [w.name.split('/')[0] for w in m.weights] == ['shared', 'shared', 'out', 'out']
    assert m.getLayer('cat') is m.getLayer(3) is m.layers[3]
    with pytest.raises(ValueError, match='No such layer: nope'):
        m.getLayer('nope')
    assert [s.shape for s in m.outputs] == [[None, 1], [None, 6]]
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(2, 4)).astype(np.float32), rng.normal(size=(2, 4)).astype(
        np.float32)
    ta, tb = tf.tensor(xa), tf.tensor(xb)
    out, cat = m.apply([ta, tb])
    k, bias = (w.read().numpy() for w in m.getLayer('shared').weights)
    np.testing.assert_allclose(cat.numpy(), np.concatenate([xa @ k + bias, xb @ k + bias], 1),
                               rtol=1e-5, atol=1e-6)
    # execute() fetches an internal tensor by name; dict feeds by input name.
    first_call = m.getLayer('shared').getOutputAt(0).name
    inner = m.execute({'a': ta, 'b': tb}, first_call)
    np.testing.assert_allclose(inner.numpy(), xa @ k + bias, rtol=1e-5, atol=1e-6)

    config = json.loads(m.toJSON())
    again = tf.LayersModel.fromConfig(from_pythonic(config)['config'])
    assert again.toJSON() == m.toJSON()
    again.setWeights(m.getWeights())
    out2, cat2 = again.apply([ta, tb])
    np.testing.assert_allclose(out2.numpy(), out.numpy(), rtol=1e-6)
    tf.dispose([ta, tb, out, cat, inner, out2, cat2])
    dispose_model(again)
    dispose_model(m)


def test_sequential_add_pop_and_errors(backend):
    m = tf.sequential()
    with pytest.raises(ValueError, match='must get an `inputShape`'):
        m.add(tf.layers.dense({'units': 2}))
    m.add(tf.layers.dense({'units': 2, 'inputShape': [3]}))
    m.add(tf.layers.dense({'units': 5}))
    assert m.outputs[0].shape == [None, 5]
    m.pop()
    assert m.outputs[0].shape == [None, 2] and len(m.layers) == 1
    y = m.apply(tf.ones([4, 3]))
    assert y.shape == [4, 2]
    y.dispose()
    config = m.getConfig()
    again = tf.Sequential.fromConfig(config)
    assert again.getConfig()['layers'] == config['layers']
    with pytest.raises(ValueError, match="unknown config key 'layer'"):
        tf.sequential({'layer': []})
    dispose_model(again)
    dispose_model(m)


def test_weights_trainable_and_dispose(backend):
    m = make_sequential()
    assert m.countParams() == 23
    m.getLayer('d1').trainable = False
    assert [w.originalName for w in m.trainableWeights] == ['d2/kernel', 'd2/bias']
    assert [w.originalName for w in m.weights] == ['d2/kernel', 'd2/bias', 'd1/kernel',
                                                   'd1/bias']
    m.trainable = False
    assert m.trainableWeights == [] and len(m.nonTrainableWeights) == 4
    assert m.dispose() == {'refCountAfterDispose': 0, 'numDisposedVariables': 4}
    with pytest.raises(RuntimeError, match='already disposed'):
        m.dispose()


def test_regularization_losses_inside_a_tape(backend):
    m = make_sequential()
    kernel = m.getLayer('d1').weights[0]

    def loss():
        losses = m.calculateLosses()
        assert len(losses) == 1
        return losses[0]

    result = tf.variableGrads(loss, [kernel.val])
    value, grads = result['value'], result['grads']
    w = kernel.read().numpy()
    np.testing.assert_allclose(value.numpy(), 0.5 * (w ** 2).sum(), rtol=1e-5)
    np.testing.assert_allclose(grads[kernel.val.name].numpy(), w, rtol=1e-5)
    tf.dispose([value, grads])
    dispose_model(m)


def test_activity_regularizer_penalty(backend):
    d = tf.layers.dense({'units': 2, 'activityRegularizer': tf.regularizers.l1({'l1': 0.1}),
                         'kernelInitializer': 'ones', 'inputShape': [3]})
    m = tf.sequential({'layers': [d]})
    x = tf.ones([4, 3])
    y = m.apply(x)
    (penalty,) = m.calculateLosses()
    # sum |y| * 0.1 / batch size, as Keras divides by the batch
    np.testing.assert_allclose(penalty.numpy(), 0.1 * np.abs(y.numpy()).sum() / 4, rtol=1e-6)
    tf.dispose([x, y, penalty])
    dispose_model(m)


def test_training_flag_reaches_dropout(backend):
    m = tf.sequential({'layers': [tf.layers.dropout({'rate': 0.5, 'inputShape': [100],
                                                     'seed': 1})]})
    x = tf.ones([2, 100])
    y_infer = m.apply(x)
    y_train = m.apply(x, {'training': True})
    assert np.all(y_infer.numpy() == 1)
    assert set(np.unique(y_train.numpy())) == {0.0, 2.0}
    tf.dispose([x, y_infer, y_train])
    dispose_model(m)


def test_masks_flow_through_the_graph(backend):
    seen = {}

    class Probe(tf.layers.Layer):
        def call(self, inputs, kwargs):
            seen['mask'] = None if kwargs.get('mask') is None else kwargs['mask'].arraySync()
            return tf.clone(inputs)

    inp = tf.input({'shape': [3], 'dtype': 'int32'})
    emb = tf.layers.embedding({'inputDim': 5, 'outputDim': 2, 'maskZero': True}).apply(inp)
    act = tf.layers.activation({'activation': 'relu'}).apply(emb)
    m = tf.model({'inputs': inp, 'outputs': Probe().apply(act)})
    x = tf.tensor2d([[0, 3, 0]], [1, 3], 'int32')
    y = m.apply(x)
    assert seen['mask'] == [[False, True, False]]
    assert m.computeMask(x) is None  # Probe does not support masking: the mask stops there
    inner = tf.model({'inputs': inp, 'outputs': act})
    mask = inner.computeMask(x)
    assert mask.arraySync() == [[False, True, False]]
    tf.dispose([x, y, mask])
    dispose_model(m)


def test_graph_errors_are_clear():
    a = tf.input({'shape': [2]})
    other = tf.input({'shape': [2]})
    out = tf.layers.add().apply([a, other])
    with pytest.raises(RuntimeError, match='Graph disconnected'):
        tf.model({'inputs': a, 'outputs': out})
    with pytest.raises(TypeError, match='InputLayer'):
        tf.model({'inputs': tf.layers.dense({'units': 1}).apply(a), 'outputs': out})
    with pytest.raises(ValueError, match='should be called on an Array'):
        tf.layers.add().apply([a])
    with pytest.raises(ValueError, match="missing required config key 'outputs'"):
        tf.model({'inputs': a})


def test_sequential_with_input_layer_and_batch_size(backend):
    m = tf.sequential({'layers': [tf.layers.inputLayer({'inputShape': [3], 'batchSize': 8}),
                                  tf.layers.dense({'units': 2})]})
    assert [la.getClassName() for la in m.layers] == ['InputLayer', 'Dense']
    assert m.outputs[0].shape == [8, 2]
    d = tf.layers.dense({'units': 2, 'inputShape': [3], 'batchSize': 4})
    assert d.batchInputShape == [4, 3] and d.getConfig()['batchInputShape'] == [4, 3]
    assert tf.layers.dense({'units': 2, 'inputDim': 5}).batchInputShape == [None, 5]
    dispose_model(m)


KERAS_FUNCTIONAL = {
    'class_name': 'Functional',
    'config': {
        'name': 'model',
        'trainable': True,
        'layers': [
            {'module': 'keras.layers', 'class_name': 'InputLayer', 'name': 'input_1',
             'config': {'batch_shape': [None, 3], 'dtype': 'float32', 'sparse': False,
                        'ragged': False, 'name': 'input_1'}, 'inbound_nodes': []},
            {'module': 'keras.layers', 'class_name': 'Dense', 'name': 'dense',
             'config': {'name': 'dense', 'trainable': True,
                        'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',
                                  'config': {'name': 'float32'}},
                        'units': 2, 'activation': 'relu', 'use_bias': True,
                        'kernel_initializer': {'module': 'keras.initializers',
                                               'class_name': 'GlorotUniform',
                                               'config': {'seed': None},
                                               'registered_name': None},
                        'bias_initializer': {'class_name': 'Zeros', 'config': {}},
                        'kernel_regularizer': None, 'bias_regularizer': None,
                        'kernel_constraint': None, 'bias_constraint': None},
             'inbound_nodes': [{'args': [{'class_name': '__keras_tensor__', 'config': {
                 'shape': [None, 3], 'dtype': 'float32', 'keras_history': ['input_1', 0, 0]}}],
                 'kwargs': {}}]},
        ],
        'input_layers': [['input_1', 0, 0]],
        'output_layers': [['dense', 0, 0]],
    },
}


def _keras2_style(config):
    """The same model with Keras 2 inbound nodes ([[name, node, tensor, kwargs]])."""
    out = json.loads(json.dumps(config))
    out['config']['layers'][1]['inbound_nodes'] = [[['input_1', 0, 0, {}]]]
    return out


@pytest.mark.parametrize('style', ['keras2', 'keras3'])
def test_keras_functional_json_loads(backend, style):
    source = KERAS_FUNCTIONAL if style == 'keras3' else _keras2_style(KERAS_FUNCTIONAL)
    config = from_pythonic(source)
    m = tf.serialization.deserialize(config)
    assert isinstance(m, tf.LayersModel)
    assert [la.getClassName() for la in m.layers] == ['InputLayer', 'Dense']
    assert m.outputs[0].shape == [None, 2]
    assert m.getLayer('dense').getConfig()['kernelInitializer']['config']['distribution'] == \
        'uniform'
    m.setWeights([np.ones((3, 2), np.float32), np.array([0, -10], np.float32)])
    x = tf.ones([1, 3])
    y = m.apply(x)
    assert y.arraySync() == [[3, 0]]
    tf.dispose([x, y])
    dispose_model(m)


def test_keras_style_subclass_round_trip(backend):
    class Scale(tf.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def build(self, input_shape):
            self.w = self.add_weight('w', [input_shape[-1]], initializer='ones')

        def call(self, inputs, training=None):
            return tf.mul(tf.mul(inputs, self.w.read()), self.factor)

        def get_config(self):
            return {**super().get_config(), 'factor': self.factor}

    layer = Scale(factor=3.0, name='scale_it')
    x = tf.ones([2, 4])
    y = layer(x)
    assert y.arraySync() == [[3.0] * 4] * 2
    assert [w.originalName for w in layer.weights] == ['scale_it/w']
    again = Scale.from_config(layer.get_config())
    assert again.factor == 3.0 and again.name == 'scale_it'
    tf.dispose([x, y])
    layer.dispose()
