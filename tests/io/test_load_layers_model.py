"""tf.loadLayersModel against models real tfjs 4.22 and the tensorflowjs
converter wrote (tests/io/artifacts), and its refusals of bad files."""

from __future__ import annotations

import functools
import gc
import http.server
import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

import tfjs_py as tf
from tests.io.artifact_check import predict, tensors
from tfjs_py.io.errors import ModelFormatError

ARTIFACTS = Path(__file__).parent / 'artifacts'
FOLDERS = sorted(p for p in ARTIFACTS.glob('*/*') if (p / 'model.json').exists())
_XFAIL: dict[str, str] = {}


def _params():
    for folder in FOLDERS:
        key = f'{folder.parent.name}/{folder.name}'
        marks = [pytest.mark.xfail(strict=True, reason=_XFAIL[key])] if key in _XFAIL else []
        yield pytest.param(folder, id=key, marks=marks)


def expected(folder: Path) -> dict:
    return json.loads((folder / 'expected.json').read_text())


@pytest.mark.parametrize('folder', list(_params()))
async def test_artifact_loads_and_predicts(backend, folder):
    exp = expected(folder)
    model = await tf.loadLayersModel(f'file://{folder}/model.json')
    try:
        got = predict(model, exp['inputs'])
        assert len(got) == len(exp['outputs'])
        for value, want in zip(got, exp['outputs'], strict=True):
            assert list(value.shape) == want['shape']
            np.testing.assert_allclose(value.reshape(-1), want['values'], rtol=1e-5, atol=1e-5)
    finally:
        model.dispose()


async def test_folder_and_plain_path_and_memory_load_the_same(backend):
    folder = ARTIFACTS / 'tfjs' / 'mlp'
    exp = expected(folder)
    doc = json.loads((folder / 'model.json').read_text())
    memory = tf.io.fromMemory({'modelTopology': doc['modelTopology'],
                               'weightSpecs': doc['weightsManifest'][0]['weights'],
                               'weightData': (folder / 'weights.bin').read_bytes()})
    for source in (str(folder), folder, memory):
        model = await tf.loadLayersModel(source)
        np.testing.assert_allclose(predict(model, exp['inputs'])[0].reshape(-1),
                                   exp['outputs'][0]['values'], rtol=1e-5, atol=1e-6)
        model.dispose()


async def test_loading_twice_matches_names_without_the_suffixes(backend):
    folder = ARTIFACTS / 'tfjs' / 'seed_dense'
    first = await tf.loadLayersModel(str(folder))
    second = await tf.loadLayersModel(str(folder))
    names = [w.name for w in second.weights]
    assert names != [w.name for w in first.weights]
    assert [w.originalName for w in second.weights] == [w.originalName for w in first.weights]
    np.testing.assert_array_equal(second.weights[0].read().numpy(),
                                  first.weights[0].read().numpy())
    first.dispose()
    second.dispose()


async def test_training_config_compiles_and_restores_the_optimizer(backend):
    folder = ARTIFACTS / 'tfjs' / 'compiled_adam'
    training = expected(folder)['training']
    loaded = await tf.loadLayersModel(str(folder))
    assert loaded.optimizer is not None
    assert loaded.optimizer.getClassName() == 'Adam'
    assert loaded.loss == 'categoricalCrossentropy'
    # The same model trained 3 epochs from the start equals the loaded one
    # (2 epochs done, Adam's moments and step count restored) trained 1 more.
    fresh = await tf.loadLayersModel(str(folder))
    fresh.setWeights(tensors(training['initial_weights']))
    fresh.compile({'optimizer': tf.train.adam(0.01), 'loss': 'categoricalCrossentropy'})
    xs, ys = tensors([training['xs'], training['ys']])
    config = dict(training['fit_config'])
    history = await fresh.fit(xs, ys, {**config, 'epochs': 3, 'verbose': 0})
    np.testing.assert_allclose(history.history['loss'][:2], training['history']['loss'],
                               rtol=1e-5)
    more = await loaded.fit(xs, ys, {**config, 'epochs': 1, 'verbose': 0})
    np.testing.assert_allclose(more.history['loss'], history.history['loss'][2:], rtol=1e-5)
    for a, b in zip(loaded.getWeights(), fresh.getWeights(), strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-7)
    tf.dispose([xs, ys])
    loaded.dispose()
    fresh.dispose()


async def test_user_defined_metadata_is_kept():
    model = await tf.loadLayersModel(str(ARTIFACTS / 'tfjs' / 'user_metadata'))
    assert model.userDefinedMetadata == {'labels': ['cat', 'dog'], 'version': 3,
                                         'nested': {'ok': True}}
    model.dispose()


def copy_model(tmp_path: Path, name: str = 'tfjs/mlp') -> Path:
    target = tmp_path / name.replace('/', '_')
    shutil.copytree(ARTIFACTS / name, target)
    return target


def edit_json(folder: Path, fn) -> None:
    doc = json.loads((folder / 'model.json').read_text())
    fn(doc)
    (folder / 'model.json').write_text(json.dumps(doc))


async def test_strict_refuses_missing_and_extra_weights_lenient_skips_them(tmp_path):
    folder = copy_model(tmp_path)
    specs = json.loads((folder / 'model.json').read_text())['weightsManifest'][0]['weights']
    kept = specs[:-1]
    data = (folder / 'weights.bin').read_bytes()
    size = 4 * int(np.prod(specs[-1]['shape']))
    missing = tf.io.fromMemory({'modelTopology': json.loads(
        (folder / 'model.json').read_text())['modelTopology'], 'weightSpecs': kept,
        'weightData': data[:-size]})
    with pytest.raises(ValueError, match=r'1 of \d+ weights are not set: .*bias'):
        await tf.loadLayersModel(missing)
    model = await tf.loadLayersModel(missing, {'strict': False})
    model.dispose()

    def extra(doc):
        doc['weightsManifest'][0]['weights'].append(
            {'name': 'ghost/kernel', 'shape': [1], 'dtype': 'float32'})
    edit_json(folder, extra)
    (folder / 'weights.bin').write_bytes(data + b'\0\0\0\0')
    with pytest.raises(ValueError, match='has no target variable: ghost/kernel'):
        await tf.loadLayersModel(str(folder))
    model = await tf.loadLayersModel(str(folder), strict=False)
    model.dispose()


async def test_shape_mismatch_names_the_weight_and_both_shapes(tmp_path):
    folder = copy_model(tmp_path, 'tfjs/seed_dense')

    def reshape(doc):
        doc['weightsManifest'][0]['weights'][0]['shape'] = [1]
        doc['weightsManifest'][0]['weights'][1]['shape'] = [1, 1]
    edit_json(folder, reshape)
    with pytest.raises(ValueError, match=r"'dense_Dense1/kernel' has shape \[1\].*\[1, 1\]"):
        await tf.loadLayersModel(str(folder))


async def test_unknown_class_names_it_and_the_closest(tmp_path):
    folder = copy_model(tmp_path)

    def rename(doc):
        doc['modelTopology']['config']['layers'][0]['class_name'] = 'Dnese'
    edit_json(folder, rename)
    with pytest.raises(ValueError, match=r"'Dnese'.*did you mean 'Dense'"):
        await tf.loadLayersModel(str(folder))


async def test_a_class_name_cannot_reach_python_code(tmp_path):
    folder = copy_model(tmp_path)
    for name in ('os.system', '__import__', 'builtins.eval', 'Tensor'):
        def rename(doc, name=name):
            doc['modelTopology']['config']['layers'][0]['class_name'] = name
        edit_json(folder, rename)
        with pytest.raises(ValueError, match='unknown layer|is not a layer'):
            await tf.loadLayersModel(str(folder))

    def model_class(doc):
        doc['modelTopology']['class_name'] = 'Dense'
    edit_json(folder, model_class)
    with pytest.raises(ValueError, match="'Dense' is not a model class"):
        await tf.loadLayersModel(str(folder))


@pytest.mark.parametrize('path', ['../weights.bin', '/etc/passwd', 'sub/../../x.bin',
                                  'file:///etc/passwd'])
async def test_weight_paths_outside_the_folder_are_refused(tmp_path, path):
    folder = copy_model(tmp_path)

    def escape(doc):
        doc['weightsManifest'][0]['paths'] = [path]
    edit_json(folder, escape)
    with pytest.raises(ModelFormatError, match='weight path'):
        await tf.loadLayersModel(str(folder))


async def test_short_shard_is_refused(tmp_path):
    folder = copy_model(tmp_path, 'keras/multi_shard')
    shard = sorted(folder.glob('group1-shard2of*.bin'))[0]
    shard.write_bytes(shard.read_bytes()[:-4])
    with pytest.raises(ModelFormatError, match='shards hold|ends before'):
        await tf.loadLayersModel(str(folder))


async def test_bad_documents_are_refused(tmp_path):
    folder = copy_model(tmp_path)
    (folder / 'model.json').write_text('{"modelTopology": ')
    with pytest.raises(ModelFormatError, match='not valid JSON'):
        await tf.loadLayersModel(str(folder))
    (folder / 'model.json').write_text('{"weightsManifest": []}')
    with pytest.raises(ModelFormatError, match='no modelTopology'):
        await tf.loadLayersModel(str(folder))
    (folder / 'model.json').write_text('{"modelTopology": {"node": []}}')
    with pytest.raises(ModelFormatError, match='no class_name'):
        await tf.loadLayersModel(str(folder))
    with pytest.raises(FileNotFoundError):
        await tf.loadLayersModel(str(tmp_path / 'nowhere' / 'model.json'))
    with pytest.raises(ValueError, match='weight specs'):
        await tf.loadLayersModel(tf.io.fromMemory({'modelTopology': json.loads(
            (ARTIFACTS / 'tfjs/mlp/model.json').read_text())['modelTopology'],
            'weightData': b'\0' * 4}))


async def test_unknown_option_and_routers():
    with pytest.raises(ValueError, match="unknown.*'strickt'"):
        await tf.loadLayersModel('x', {'strickt': True})
    folder = ARTIFACTS / 'tfjs' / 'seed_dense'
    seen = []

    def router(url, options):
        if isinstance(url, str) and url.startswith('mine://'):
            seen.append(url)
            return tf.io.fileSystem(folder)
        return None
    tf.io.registerLoadRouter(router)
    try:
        assert len(tf.io.getLoadHandlers('mine://m')) == 1
        model = await tf.loadLayersModel('mine://m')
        assert seen == ['mine://m', 'mine://m']
        model.dispose()
    finally:
        tf.io._ROUTERS['load'].remove(router)
    with pytest.raises(ValueError, match='browser storage'):
        await tf.loadLayersModel('indexeddb://m')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


async def test_http_load_and_weight_path_prefix(backend, tmp_path):
    shutil.copytree(ARTIFACTS / 'keras' / 'multi_shard', tmp_path / 'm')
    (tmp_path / 'shards').mkdir()
    for shard in (tmp_path / 'm').glob('*.bin'):
        shutil.copy(shard, tmp_path / 'shards')
    server = http.server.ThreadingHTTPServer(
        ('127.0.0.1', 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f'http://127.0.0.1:{server.server_address[1]}'
    exp = expected(ARTIFACTS / 'keras' / 'multi_shard')
    progress = []
    try:
        model = await tf.loadLayersModel(f'{base}/m/model.json',
                                         {'onProgress': progress.append})
        model2 = await tf.loadLayersModel(tf.io.http(f'{base}/m/model.json',
                                                     weightPathPrefix=f'{base}/shards/'))
    finally:
        server.shutdown()
        server.server_close()
    assert progress and progress[-1] == 1
    for m in (model, model2):
        np.testing.assert_allclose(predict(m, exp['inputs'])[0].reshape(-1),
                                   exp['outputs'][0]['values'], rtol=1e-5, atol=1e-6)
        m.dispose()


async def test_keras_to_json_wrapper_and_keras_training_config():
    folder = ARTIFACTS / 'keras' / 'dense'
    doc = json.loads((folder / 'model.json').read_text())
    assert doc['modelTopology']['training_config']['optimizer_config']['class_name'] == \
        'Custom>Adam'
    # As tfjs: only a top-level trainingConfig compiles; Keras' training_config
    # inside the topology is ignored.
    model = await tf.loadLayersModel(str(folder))
    assert model.optimizer is None
    model.dispose()
    wrapped = tf.io.fromMemory({'modelTopology': {'model_config': doc['modelTopology'][
        'model_config']}, 'weightSpecs': doc['weightsManifest'][0]['weights'],
        'weightData': (folder / 'group1-shard1of1.bin').read_bytes()})
    model = await tf.loadLayersModel(wrapped)
    exp = expected(folder)
    np.testing.assert_allclose(predict(model, exp['inputs'])[0].reshape(-1),
                               exp['outputs'][0]['values'], rtol=1e-5, atol=1e-6)
    model.dispose()


def _keras3_dense(name: str, units: int, source: str, shape: list) -> dict:
    zeros = {'module': 'keras.initializers', 'class_name': 'Zeros', 'config': {},
             'registered_name': None}
    return {'module': 'keras.layers', 'class_name': 'Dense', 'registered_name': None,
            'name': name, 'build_config': {'input_shape': shape},
            'config': {'name': name, 'trainable': True, 'units': units, 'activation': 'relu',
                       'use_bias': True, 'kernel_initializer': zeros, 'bias_initializer': zeros,
                       'dtype': {'module': 'keras', 'class_name': 'DTypePolicy',
                                 'config': {'name': 'float32'}, 'registered_name': None},
                       'kernel_regularizer': None, 'bias_regularizer': None,
                       'kernel_constraint': None, 'bias_constraint': None},
            'inbound_nodes': [{'args': [{'class_name': '__keras_tensor__', 'config': {
                'shape': shape, 'dtype': 'float32', 'keras_history': [source, 0, 0]}}],
                'kwargs': {}}]}


@pytest.mark.parametrize('flat', [False, True], ids=['nested-ends', 'flat-ends'])
async def test_keras3_functional_form(flat):
    from tfjs_py.io.weights import encode_weights
    topology = {'class_name': 'Functional', 'config': {
        'name': 'functional', 'trainable': True,
        'layers': [{'module': 'keras.layers', 'class_name': 'InputLayer',
                    'registered_name': None, 'name': 'input_layer', 'inbound_nodes': [],
                    'config': {'batch_shape': [None, 4], 'dtype': 'float32', 'sparse': False,
                               'name': 'input_layer'}},
                   _keras3_dense('dense', 3, 'input_layer', [None, 4]),
                   _keras3_dense('dense_1', 2, 'dense', [None, 3])],
        'input_layers': ['input_layer', 0, 0] if flat else [['input_layer', 0, 0]],
        'output_layers': ['dense_1', 0, 0] if flat else [['dense_1', 0, 0]]}}
    rng = np.random.default_rng(0)
    values = [rng.normal(size=s).astype(np.float32) for s in ((4, 3), (3,), (3, 2), (2,))]
    names = ['layers/dense/vars/0', 'layers/dense/vars/1', 'layers/dense_1/vars/0',
             'layers/dense_1/vars/1']
    data, specs = encode_weights([(n, v, 'float32') for n, v in zip(names, values, strict=True)])
    error = None
    try:
        model = await tf.loadLayersModel(tf.io.fromMemory(
            {'modelTopology': topology, 'weightSpecs': specs, 'weightData': data}))
    except ValueError as exc:
        error = str(exc)
    if error is not None:
        # Free the half-built layers the traceback held before failing.
        gc.collect()
        raise AssertionError(error)
    x = rng.normal(size=(2, 4)).astype(np.float32)
    hidden = np.maximum(x @ values[0] + values[1], 0)
    want = np.maximum(hidden @ values[2] + values[3], 0)
    xs = tf.tensor(x)
    got = model.predict(xs)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    tf.dispose([xs, got])
    model.dispose()
