"""Preprocessing layers against real tfjs 4.22 (tests/layers/data/preprocessing.json),
and NumPy where tfjs is wrong."""

from __future__ import annotations

import numpy as np
import pytest

import tfjs_py as tf
import tfjs_py.layers as tfl
from tests.layers.family_reference import Owned, case_names, check_case, load_cases, run_case

CASES = load_cases('preprocessing')
# tfjs gives Resizing the output shape [height, width, channels] (no batch, channels
# taken from the wrong axis); ours keeps the batch: [None, height, width, channels].
RESIZING_SHAPES = {'resizing_bilinear': [[None, 3, 5, 2]],
                   'resizing_nearest': [[None, 4, 2, 1]],
                   'resizing_crop_to_aspect': [[None, 3, 3, 1]]}
SPECIAL = ('resizing_crop_to_aspect',)
CHECK = [n for n in case_names('preprocessing', exclude=SPECIAL)
         if not CASES[n].get('kwargs') and CASES[n].get('symbolicShape')]


@pytest.mark.parametrize('name', case_names('preprocessing', exclude=SPECIAL))
def test_matches_tfjs(backend, name):
    run_case(CASES[name], symbolic_shape=RESIZING_SHAPES.get(name))


@pytest.mark.parametrize('name', CHECK)
def test_check_layer(backend, name):
    shape = RESIZING_SHAPES.get(name, [None])[0]
    check_case(CASES[name], grad=name in ('rescaling', 'centerCrop_crop', 'resizing_bilinear'),
               output_shape=shape)


def test_resizing_crop_to_aspect_ratio_crops(backend):
    # tfjs ignores the crop and only turns alignCorners off; Keras crops the largest
    # centred window with the target's aspect ratio, then resizes.
    case = CASES['resizing_crop_to_aspect']
    x = np.asarray(case['inputs'][0]['values'], np.float32).reshape(1, 4, 6, 1)
    with Owned() as own:
        cropped = own(tf.tensor(x[:, :, 1:5, :]))  # 4 x 6 -> centred 4 x 4
        want = own(tf.image.resizeBilinear(cropped, [3, 3])).numpy()
    run_case(case, expected_outputs=[want], symbolic_shape=RESIZING_SHAPES[case['name']])


def test_center_crop_offsets_as_keras(backend):
    # tfjs moves a width offset of 0 to 1; the crop here is centred on both axes.
    with Owned() as own:
        x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(1, 3, 4, 2)
        y = own(own(tfl.centerCrop({'height': 2, 'width': 3})).apply(own(tf.tensor(x))))
        np.testing.assert_array_equal(y.numpy(), x[:, 0:2, 0:3, :])
        ints = own(tf.tensor(np.arange(16).reshape(1, 4, 4, 1), None, 'int32'))
        cropped = own(tfl.centerCrop({'height': 2, 'width': 2}).apply(ints))
        assert cropped.dtype == 'int32'
        np.testing.assert_array_equal(cropped.numpy()[0, :, :, 0], [[5, 6], [9, 10]])


def test_category_encoding_modes(backend):
    with Owned() as own:
        ids = own(tf.tensor([[0, 2], [2, 2]], None, 'int32'))
        count = own(own(tfl.categoryEncoding({'numTokens': 3, 'outputMode': 'count'})).apply(ids))
        np.testing.assert_array_equal(count.numpy(), [[1, 0, 1], [0, 0, 2]])
        weights = own(tf.tensor([[0.5, 1.5], [2.0, 3.0]]))
        tfidf = own(tfl.categoryEncoding({'numTokens': 3, 'outputMode': 'tfIdf'}).apply(
            ids, {'countWeights': weights}))
        np.testing.assert_allclose(tfidf.numpy(), [[0.5, 0, 1.5], [0, 0, 5.0]])
        as_int = own(tfl.categoryEncoding({'numTokens': 3, 'outputMode': 'int'}).apply(ids))
        np.testing.assert_array_equal(as_int.numpy(), [[0, 2], [2, 2]])
        one_hot = own(tfl.categoryEncoding({'numTokens': 3, 'outputMode': 'one_hot'}).apply(
            own(tf.tensor([[1], [0]], None, 'int32'))))
        np.testing.assert_array_equal(one_hot.numpy(), [[0, 1, 0], [1, 0, 0]])


def test_category_encoding_errors(backend):
    with Owned() as own:
        layer = tfl.categoryEncoding({'numTokens': 3})
        with pytest.raises(ValueError, match='numTokens=3'):
            layer.apply(own(tf.tensor([[0, 3]], None, 'int32')))
        with pytest.raises(ValueError, match='numTokens=3'):
            layer.apply(own(tf.tensor([[-1, 1]], None, 'int32')))
        with pytest.raises(ValueError, match='countWeights is not used'):
            layer.apply(own(tf.tensor([[0, 1]], None, 'int32')),
                        {'countWeights': own(tf.ones([1, 2]))})
        with pytest.raises(ValueError, match='maximum output rank is 2'):
            layer.apply(own(tf.zeros([1, 2, 2], 'int32')))
        with pytest.raises(ValueError, match="'tfIdf'"):
            tfl.categoryEncoding({'numTokens': 3, 'outputMode': 'tfIdf'}).apply(
                own(tf.tensor([[0, 1]], None, 'int32')))


def test_random_width_only_while_training(backend):
    with Owned() as own:
        layer = own(tfl.randomWidth({'factor': [0.5, 0.5], 'seed': 1}))
        x = own(tf.tensor(np.random.default_rng(0).normal(size=(1, 3, 4, 2)).astype(
            np.float32)))
        same = own(layer.apply(x))
        np.testing.assert_array_equal(same.numpy(), x.numpy())
        wider = own(layer.apply(x, {'training': True}))
        assert wider.shape == [1, 3, 6, 2]
        assert layer.apply(tf.input({'shape': [3, 4, 2]})).shape == [None, 3, None, 2]
        config = layer.getConfig()
        assert config['factor'] == [0.5, 0.5] and config['seed'] == 1
        assert config['interpolation'] == 'bilinear'


def test_rescaling_int_inputs_and_config(backend):
    with Owned() as own:
        layer = own(tfl.rescaling({'scale': 1 / 255}))
        y = own(layer.apply(own(tf.tensor([[0, 255]], None, 'int32'))))
        assert y.dtype == 'float32'
        np.testing.assert_allclose(y.numpy(), [[0, 1]])
        assert layer.getConfig()['offset'] == 0


@pytest.mark.parametrize('factory,config,match', [
    ('rescaling', {}, 'scale'),
    ('rescaling', {'scale': 'half'}, 'scale'),
    ('centerCrop', {'height': 0, 'width': 2}, 'height'),
    ('resizing', {'height': 2, 'width': 2, 'interpolation': 'area'}, 'interpolation'),
    ('categoryEncoding', {'numTokens': 3, 'outputMode': 'tfidf2'}, 'outputMode'),
    ('randomWidth', {'factor': -0.5}, 'factor'),
    ('randomWidth', {'factor': [0.5, 0.2]}, 'upper bound'),
    ('randomWidth', {'factor': [-1.5, 0.2]}, 'larger than -1'),
])
def test_bad_configs(factory, config, match):
    with pytest.raises(ValueError, match=match):
        getattr(tfl, factory)(config)


def test_image_layers_need_rank_3_or_4(backend):
    with Owned() as own:
        with pytest.raises(ValueError, match='rank 3'):
            tfl.resizing({'height': 2, 'width': 2}).apply(own(tf.ones([2, 2])))
