#!/usr/bin/env node
/*
 * Writes reference values for the layer families (convolutional, pooling, normalization,
 * recurrent, convolutional_recurrent, wrappers, preprocessing) computed by real
 * TensorFlow.js 4.22 (cpu backend), one JSON file per family under tests/layers/data/.
 *
 * Usage (from the repository root):
 *   NODE_PATH=/tmp/tfjs-ref/node_modules node tests/reference/make_layer_families.js
 *
 * Every case builds a layer from a factory and a config, applies it once to a symbolic
 * input (batch dimension null unless the case fixes it) to record the symbolic output
 * shape, sets every weight to a deterministic pattern, applies it eagerly to a
 * deterministic input and records:
 *   layerName, className, config (getConfig()), symbolicShape, weights [{name, shape,
 *   values}] (names as tfjs gives them, values as set), inputs [{shape, dtype, values}],
 *   kwargs (training, mask, initialState as plain values), outputs [{shape, values}],
 *   weightsAfter (values after the call, for layers that update state), and for
 *   stateful cases the outputs of a second call.
 * A case whose construction or call throws in tfjs records {error} instead of values.
 * Values are stored as they are; the Python tests rebuild the same tensors from them.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// A short, exactly representable pattern: sin rounded to 3 decimals.
function pattern(n, seed, scale) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(Math.round(Math.sin(i * 0.7 + seed) * 1000) / 1000 * scale);
  }
  return out;
}

const prod = (s) => s.reduce((a, b) => a * b, 1);

function tensorSpec(t) {
  return {shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync())};
}

function makeTensor(spec) {
  return tf.tensor(spec.values, spec.shape, spec.dtype || 'float32');
}

function inputSpecs(c) {
  return c.inputs.map((inp, k) => {
    if (inp.values != null) return {shape: inp.shape, dtype: inp.dtype || 'float32', values: inp.values};
    const scale = inp.scale == null ? 1 : inp.scale;
    return {shape: inp.shape, dtype: 'float32', values: pattern(prod(inp.shape), 1 + k, scale)};
  });
}

function buildKwargs(spec) {
  if (spec == null) return {};
  const kw = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'initialState') kw[k] = v.map(makeTensor);
    else if (k === 'mask' || k === 'countWeights') kw[k] = makeTensor(v);
    else kw[k] = v;
  }
  return kw;
}

function makeLayer(c) {
  // tfjs constructors write into their args (lstm adds `cell`): give them copies.
  const copy = (x) => JSON.parse(JSON.stringify(x));
  const config = copy(c.config);
  if (c.innerLayer) config.layer = tf.layers[c.innerLayer.factory](copy(c.innerLayer.config));
  if (c.cells) config.cell = c.cells.map((cc) => tf.layers[cc.factory](copy(cc.config)));
  if (c.cell) config.cell = tf.layers[c.cell.factory](copy(c.cell.config));
  return tf.layers[c.factory](config);
}

function listOf(x) {
  return Array.isArray(x) ? x : [x];
}

function runCase(c) {
  const record = {
    name: c.name, factory: c.factory, config: c.config,
    innerLayer: c.innerLayer || null, cell: c.cell || null, cells: c.cells || null,
    fixedBatch: Boolean(c.fixedBatch), secondCall: Boolean(c.secondCall),
  };
  try {
    const layer = makeLayer(c);
    record.layerName = layer.name;
    record.className = layer.getClassName();
    const ins = inputSpecs(c);
    record.inputs = ins;
    record.kwargs = c.kwargs || null;
    if (!c.noSymbolic) {
      const symIns = ins.map((s, k) => {
        const batchShape = c.fixedBatch ? s.shape.slice() : [null].concat(s.shape.slice(1));
        if (c.symbolicShapes) return tf.input({batchShape: c.symbolicShapes[k], dtype: s.dtype});
        return tf.input({batchShape, dtype: s.dtype});
      });
      const symOut = layer.apply(symIns.length === 1 ? symIns[0] : symIns);
      record.symbolicShape = listOf(symOut).map((t) => t.shape);
    }
    const tensors = ins.map(makeTensor);
    const kwargs = buildKwargs(c.kwargs);
    if (!layer.built) layer.apply(tensors.length === 1 ? tensors[0] : tensors, kwargs);
    const weights = layer.weights;
    const values = weights.map((w, k) => tf.tensor(pattern(prod(w.shape), 10 + k, c.weightScale || 0.5), w.shape));
    if (c.setWeights) {
      // Explicit values for some weights (e.g. a positive moving variance).
      for (const [k, vals] of Object.entries(c.setWeights)) values[k] = tf.tensor(vals, weights[k].shape);
    }
    layer.setWeights(values);
    record.weights = weights.map((w, k) => ({
      name: w.name, originalName: w.originalName, shape: w.shape, trainable: w.trainable,
      values: Array.from(values[k].dataSync()),
    }));
    if (c.resetStates) layer.resetStates();
    const out = layer.apply(tensors.length === 1 ? tensors[0] : tensors, kwargs);
    record.outputs = listOf(out).map(tensorSpec);
    if (c.secondCall) {
      const out2 = layer.apply(tensors.length === 1 ? tensors[0] : tensors, kwargs);
      record.secondOutputs = listOf(out2).map(tensorSpec);
    }
    record.weightsAfter = layer.getWeights().map((w) => Array.from(w.dataSync()));
    record.config = JSON.parse(JSON.stringify(layer.getConfig()));
    record.inputConfig = c.config;
  } catch (err) {
    record.error = String(err && err.message !== undefined ? err.message : err);
  }
  return record;
}

// ---------------------------------------------------------------------------------------
const CASES = {};

CASES.convolutional = [
  {name: 'conv1d_valid', factory: 'conv1d', config: {filters: 3, kernelSize: 2}, inputs: [{shape: [2, 5, 2]}]},
  {name: 'conv1d_same_stride_dil', factory: 'conv1d',
   config: {filters: 2, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'relu'},
   inputs: [{shape: [1, 7, 3]}]},
  {name: 'conv1d_stride2', factory: 'conv1d', config: {filters: 2, kernelSize: [3], strides: 2, useBias: false},
   inputs: [{shape: [2, 7, 1]}]},
  {name: 'conv1d_causal', factory: 'conv1d', config: {filters: 2, kernelSize: 3, padding: 'causal'},
   inputs: [{shape: [1, 5, 2]}]},
  {name: 'conv2d_valid', factory: 'conv2d', config: {filters: 3, kernelSize: [2, 3]}, inputs: [{shape: [2, 4, 5, 2]}]},
  {name: 'conv2d_same_stride', factory: 'conv2d',
   config: {filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh'},
   inputs: [{shape: [1, 5, 6, 3]}]},
  {name: 'conv2d_dilation', factory: 'conv2d', config: {filters: 2, kernelSize: 2, dilationRate: [2, 1]},
   inputs: [{shape: [1, 5, 5, 2]}]},
  {name: 'conv2d_channels_first', factory: 'conv2d',
   config: {filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', activation: 'relu'},
   inputs: [{shape: [2, 3, 4, 4]}]},
  {name: 'conv2d_nobias', factory: 'conv2d', config: {filters: 1, kernelSize: 1, useBias: false},
   inputs: [{shape: [1, 2, 2, 3]}]},
  {name: 'conv2dTranspose_valid', factory: 'conv2dTranspose', config: {filters: 2, kernelSize: 3},
   inputs: [{shape: [1, 3, 3, 2]}]},
  {name: 'conv2dTranspose_same_stride2', factory: 'conv2dTranspose',
   config: {filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same'}, inputs: [{shape: [2, 3, 2, 1]}]},
  {name: 'conv2dTranspose_valid_stride2_cf', factory: 'conv2dTranspose',
   config: {filters: 2, kernelSize: 2, strides: [2, 3], dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 2, 3]}]},
  {name: 'conv3d_valid', factory: 'conv3d', config: {filters: 2, kernelSize: 2}, inputs: [{shape: [1, 3, 3, 4, 2]}]},
  {name: 'conv3d_same_stride_cf', factory: 'conv3d',
   config: {filters: 2, kernelSize: [2, 3, 1], strides: 2, padding: 'same', dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 3, 4, 3]}]},
  {name: 'conv3dTranspose_valid', factory: 'conv3dTranspose', config: {filters: 2, kernelSize: 2},
   inputs: [{shape: [1, 2, 2, 2, 3]}]},
  {name: 'conv3dTranspose_same_stride2', factory: 'conv3dTranspose',
   config: {filters: 1, kernelSize: 3, strides: 2, padding: 'same'}, inputs: [{shape: [1, 2, 3, 2, 2]}]},
  {name: 'separableConv2d_dm2', factory: 'separableConv2d',
   config: {filters: 3, kernelSize: 2, depthMultiplier: 2}, inputs: [{shape: [2, 4, 4, 2]}]},
  {name: 'separableConv2d_same_stride_cf', factory: 'separableConv2d',
   config: {filters: 2, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', activation: 'relu'},
   inputs: [{shape: [1, 3, 5, 5]}]},
  {name: 'separableConv2d_dilation', factory: 'separableConv2d',
   config: {filters: 2, kernelSize: 2, dilationRate: 2, useBias: false}, inputs: [{shape: [1, 5, 5, 1]}]},
  {name: 'depthwiseConv2d_dm2', factory: 'depthwiseConv2d', config: {kernelSize: 2, depthMultiplier: 2},
   inputs: [{shape: [2, 3, 4, 2]}]},
  {name: 'depthwiseConv2d_same_stride_cf', factory: 'depthwiseConv2d',
   config: {kernelSize: [3, 2], strides: 2, padding: 'same', dataFormat: 'channelsFirst', activation: 'relu'},
   inputs: [{shape: [1, 3, 5, 4]}]},
  {name: 'conv2d_same_even_stride2', factory: 'conv2d',
   config: {filters: 2, kernelSize: [4, 3], strides: 2, padding: 'same'}, inputs: [{shape: [1, 6, 4, 2]}]},
  {name: 'conv1d_same_stride2', factory: 'conv1d', config: {filters: 2, kernelSize: 4, strides: 2, padding: 'same'},
   inputs: [{shape: [2, 6, 2]}]},
  {name: 'separableConv2d_same_stride2', factory: 'separableConv2d',
   config: {filters: 2, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 3},
   inputs: [{shape: [1, 4, 4, 1]}]},
  {name: 'conv2dTranspose_same_stride3_odd', factory: 'conv2dTranspose',
   config: {filters: 1, kernelSize: [2, 4], strides: 3, padding: 'same', activation: 'sigmoid'},
   inputs: [{shape: [1, 3, 2, 2]}]},
  {name: 'cropping2D_int', factory: 'cropping2D', config: {cropping: 1}, inputs: [{shape: [1, 4, 5, 2]}]},
  {name: 'cropping2D_pairs', factory: 'cropping2D', config: {cropping: [[1, 0], [0, 2]]},
   inputs: [{shape: [2, 4, 5, 1]}]},
  {name: 'cropping2D_sym_cf', factory: 'cropping2D', config: {cropping: [1, 2], dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 4, 6]}]},
  {name: 'upSampling2d_default', factory: 'upSampling2d', config: {}, inputs: [{shape: [1, 2, 3, 2]}]},
  {name: 'upSampling2d_bilinear', factory: 'upSampling2d', config: {size: [2, 3], interpolation: 'bilinear'},
   inputs: [{shape: [1, 2, 3, 1]}]},
  {name: 'upSampling2d_cf', factory: 'upSampling2d', config: {size: [3, 2], dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 2, 3]}]},
];

CASES.pooling = [
  {name: 'maxPooling1d_default', factory: 'maxPooling1d', config: {}, inputs: [{shape: [2, 5, 3]}]},
  {name: 'maxPooling1d_same_stride1', factory: 'maxPooling1d', config: {poolSize: 3, strides: 1, padding: 'same'},
   inputs: [{shape: [1, 5, 2]}]},
  {name: 'averagePooling1d_same', factory: 'averagePooling1d', config: {poolSize: [2], padding: 'same'},
   inputs: [{shape: [1, 5, 2]}]},
  {name: 'maxPooling2d_default', factory: 'maxPooling2d', config: {}, inputs: [{shape: [2, 4, 5, 2]}]},
  {name: 'maxPooling2d_same_stride_cf', factory: 'maxPooling2d',
   config: {poolSize: [3, 2], strides: [2, 1], padding: 'same', dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 5, 4]}]},
  {name: 'averagePooling2d_same', factory: 'averagePooling2d', config: {poolSize: 3, strides: 2, padding: 'same'},
   inputs: [{shape: [1, 5, 5, 2]}]},
  {name: 'averagePooling2d_cf', factory: 'averagePooling2d', config: {poolSize: 2, dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 3, 4, 4]}]},
  {name: 'maxPooling3d_default', factory: 'maxPooling3d', config: {}, inputs: [{shape: [1, 4, 4, 5, 2]}]},
  {name: 'maxPooling3d_same_cf', factory: 'maxPooling3d',
   config: {poolSize: [2, 3, 2], strides: 2, padding: 'same', dataFormat: 'channelsFirst'},
   inputs: [{shape: [1, 2, 3, 5, 4]}]},
  {name: 'averagePooling3d_same', factory: 'averagePooling3d', config: {poolSize: 2, strides: 1, padding: 'same'},
   inputs: [{shape: [1, 3, 3, 3, 1]}]},
  {name: 'averagePooling3d_cf', factory: 'averagePooling3d', config: {poolSize: [1, 2, 2], dataFormat: 'channelsFirst'},
   inputs: [{shape: [2, 1, 2, 4, 4]}]},
  {name: 'globalAveragePooling1d', factory: 'globalAveragePooling1d', config: {}, inputs: [{shape: [2, 4, 3]}]},
  {name: 'globalMaxPooling1d', factory: 'globalMaxPooling1d', config: {}, inputs: [{shape: [2, 4, 3]}]},
  {name: 'globalAveragePooling2d', factory: 'globalAveragePooling2d', config: {}, inputs: [{shape: [2, 3, 4, 2]}]},
  {name: 'globalAveragePooling2d_cf', factory: 'globalAveragePooling2d', config: {dataFormat: 'channelsFirst'},
   inputs: [{shape: [2, 3, 4, 2]}]},
  {name: 'globalMaxPooling2d', factory: 'globalMaxPooling2d', config: {}, inputs: [{shape: [2, 3, 4, 2]}]},
  {name: 'globalMaxPooling2d_cf', factory: 'globalMaxPooling2d', config: {dataFormat: 'channelsFirst'},
   inputs: [{shape: [2, 3, 4, 2]}]},
];

CASES.normalization = [
  {name: 'batchNormalization_inference', factory: 'batchNormalization', config: {},
   inputs: [{shape: [3, 4]}], setWeights: {3: [0.5, 1.0, 1.5, 2.0]}},
  {name: 'batchNormalization_training', factory: 'batchNormalization', config: {momentum: 0.9, epsilon: 0.01},
   inputs: [{shape: [4, 3]}], kwargs: {training: true}, setWeights: {3: [0.5, 1.0, 1.5]}},
  {name: 'batchNormalization_axis1_4d_training', factory: 'batchNormalization', config: {axis: 1},
   inputs: [{shape: [2, 3, 2, 2]}], kwargs: {training: true}, setWeights: {3: [0.5, 1.0, 1.5]}},
  {name: 'batchNormalization_axis1_4d_inference', factory: 'batchNormalization', config: {axis: 1},
   inputs: [{shape: [2, 3, 2, 2]}], setWeights: {3: [0.5, 1.0, 1.5]}},
  {name: 'batchNormalization_3d_no_scale', factory: 'batchNormalization', config: {scale: false},
   inputs: [{shape: [2, 3, 2]}], setWeights: {2: [0.25, 4.0]}},
  {name: 'batchNormalization_no_center_inference', factory: 'batchNormalization', config: {center: false},
   inputs: [{shape: [2, 3]}], setWeights: {2: [1.0, 2.0, 3.0]}},
  {name: 'layerNormalization_default', factory: 'layerNormalization', config: {}, inputs: [{shape: [3, 4]}]},
  {name: 'layerNormalization_axes', factory: 'layerNormalization', config: {axis: [1, 2], epsilon: 0.01},
   inputs: [{shape: [2, 3, 2]}]},
  {name: 'layerNormalization_no_center', factory: 'layerNormalization', config: {axis: 1, center: false},
   inputs: [{shape: [2, 3, 2]}]},
];

const mask23 = {shape: [2, 3], dtype: 'float32', values: [1, 1, 0, 1, 0, 0]};
CASES.recurrent = [
  {name: 'simpleRNN_last', factory: 'simpleRNN', config: {units: 3}, inputs: [{shape: [2, 4, 2]}]},
  {name: 'simpleRNN_seq_back_relu', factory: 'simpleRNN',
   config: {units: 2, returnSequences: true, goBackwards: true, activation: 'relu'}, inputs: [{shape: [2, 3, 3]}]},
  {name: 'simpleRNN_state_nobias', factory: 'simpleRNN', config: {units: 2, returnState: true, useBias: false},
   inputs: [{shape: [1, 3, 2]}]},
  {name: 'lstm_last', factory: 'lstm', config: {units: 3}, inputs: [{shape: [2, 4, 2]}]},
  {name: 'lstm_seq_state', factory: 'lstm', config: {units: 2, returnSequences: true, returnState: true},
   inputs: [{shape: [2, 3, 3]}]},
  {name: 'lstm_sigmoid_back', factory: 'lstm',
   config: {units: 2, recurrentActivation: 'sigmoid', goBackwards: true, unitForgetBias: true},
   inputs: [{shape: [1, 4, 2]}]},
  {name: 'lstm_mask', factory: 'lstm', config: {units: 2, returnSequences: true}, inputs: [{shape: [2, 3, 2]}],
   kwargs: {mask: mask23}},
  {name: 'lstm_initial_state', factory: 'lstm', config: {units: 2, returnState: true}, inputs: [{shape: [2, 3, 2]}],
   noSymbolic: true,
   kwargs: {initialState: [{shape: [2, 2], values: [0.1, -0.2, 0.3, 0.4]}, {shape: [2, 2], values: [0.5, 0.1, -0.3, 0.2]}]}},
  {name: 'gru_last', factory: 'gru', config: {units: 3}, inputs: [{shape: [2, 4, 2]}]},
  {name: 'gru_seq_state_sigmoid', factory: 'gru',
   config: {units: 2, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid'},
   inputs: [{shape: [2, 3, 3]}]},
  {name: 'gru_mask_back', factory: 'gru', config: {units: 2, goBackwards: true}, inputs: [{shape: [2, 3, 2]}],
   kwargs: {mask: mask23}},
  {name: 'gru_reset_after', factory: 'gru', config: {units: 2, resetAfter: true}, inputs: [{shape: [1, 3, 2]}]},
  {name: 'simpleRNN_mask_seq', factory: 'simpleRNN', config: {units: 2, returnSequences: true},
   inputs: [{shape: [2, 3, 2]}], kwargs: {mask: mask23}},
  {name: 'gru_mask_back_seq_state', factory: 'gru',
   config: {units: 2, goBackwards: true, returnSequences: true, returnState: true},
   inputs: [{shape: [2, 3, 2]}], kwargs: {mask: mask23}},
  {name: 'lstm_relu_nobias', factory: 'lstm', config: {units: 2, activation: 'relu', useBias: false},
   inputs: [{shape: [2, 3, 2]}]},
  {name: 'rnn_lstmCell', factory: 'rnn', config: {returnSequences: true}, cell: {factory: 'lstmCell', config: {units: 2}},
   inputs: [{shape: [2, 3, 2]}]},
  {name: 'rnn_stacked', factory: 'rnn', config: {returnState: true},
   cells: [{factory: 'simpleRNNCell', config: {units: 3}}, {factory: 'gruCell', config: {units: 2}}],
   inputs: [{shape: [2, 3, 2]}]},
  {name: 'rnn_stacked_lstm', factory: 'rnn', config: {returnSequences: true},
   cells: [{factory: 'lstmCell', config: {units: 2}}, {factory: 'lstmCell', config: {units: 3}}],
   inputs: [{shape: [1, 3, 2]}]},
  {name: 'simpleRNN_stateful', factory: 'simpleRNN', config: {units: 2, stateful: true},
   inputs: [{shape: [2, 3, 2]}], fixedBatch: true, secondCall: true},
  {name: 'lstm_stateful_seq', factory: 'lstm', config: {units: 2, stateful: true, returnSequences: true},
   inputs: [{shape: [1, 2, 2]}], fixedBatch: true, secondCall: true},
];

CASES.convolutional_recurrent = [
  {name: 'convLstm2d_valid', factory: 'convLstm2d', config: {filters: 2, kernelSize: 2},
   inputs: [{shape: [1, 2, 3, 3, 2]}], weightScale: 0.3},
  {name: 'convLstm2d_same_seq_state', factory: 'convLstm2d',
   config: {filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, returnState: true},
   inputs: [{shape: [1, 3, 3, 2, 1]}], weightScale: 0.3},
  {name: 'convLstm2d_cf_stride', factory: 'convLstm2d',
   config: {filters: 1, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst', recurrentActivation: 'sigmoid'},
   inputs: [{shape: [2, 2, 1, 4, 4]}], weightScale: 0.3},
];

CASES.wrappers = [
  {name: 'bidirectional_lstm_concat', factory: 'bidirectional', config: {},
   innerLayer: {factory: 'lstm', config: {units: 2}}, inputs: [{shape: [2, 3, 2]}]},
  {name: 'bidirectional_gru_sum_seq', factory: 'bidirectional', config: {mergeMode: 'sum'},
   innerLayer: {factory: 'gru', config: {units: 2, returnSequences: true}}, inputs: [{shape: [2, 3, 2]}]},
  {name: 'bidirectional_simple_mul', factory: 'bidirectional', config: {mergeMode: 'mul'},
   innerLayer: {factory: 'simpleRNN', config: {units: 3}}, inputs: [{shape: [1, 4, 2]}]},
  {name: 'bidirectional_lstm_ave_seq', factory: 'bidirectional', config: {mergeMode: 'ave'},
   innerLayer: {factory: 'lstm', config: {units: 2, returnSequences: true}}, inputs: [{shape: [1, 3, 2]}]},
  {name: 'bidirectional_lstm_null_state', factory: 'bidirectional', config: {mergeMode: null},
   innerLayer: {factory: 'lstm', config: {units: 2, returnState: true}}, inputs: [{shape: [2, 3, 2]}]},
  {name: 'bidirectional_gru_concat_state_seq', factory: 'bidirectional', config: {mergeMode: 'concat'},
   innerLayer: {factory: 'gru', config: {units: 2, returnState: true, returnSequences: true}},
   inputs: [{shape: [1, 3, 2]}]},
  {name: 'bidirectional_lstm_mask_seq', factory: 'bidirectional', config: {},
   innerLayer: {factory: 'lstm', config: {units: 2, returnSequences: true}}, inputs: [{shape: [2, 3, 2]}],
   kwargs: {mask: mask23}},
  {name: 'timeDistributed_dense', factory: 'timeDistributed', config: {},
   innerLayer: {factory: 'dense', config: {units: 3, activation: 'relu'}}, inputs: [{shape: [2, 3, 4]}]},
  {name: 'timeDistributed_conv2d', factory: 'timeDistributed', config: {},
   innerLayer: {factory: 'conv2d', config: {filters: 2, kernelSize: 2}}, inputs: [{shape: [1, 2, 3, 3, 1]}]},
];

CASES.preprocessing = [
  {name: 'rescaling', factory: 'rescaling', config: {scale: 0.5, offset: -1}, inputs: [{shape: [2, 3]}]},
  {name: 'rescaling_int', factory: 'rescaling', config: {scale: 2},
   inputs: [{shape: [2, 2], dtype: 'int32', values: [1, 2, 3, 4]}]},
  {name: 'centerCrop_crop', factory: 'centerCrop', config: {height: 2, width: 3},
   inputs: [{shape: [1, 4, 5, 2]}]},
  {name: 'centerCrop_crop_odd', factory: 'centerCrop', config: {height: 3, width: 2},
   inputs: [{shape: [2, 5, 5, 1]}]},
  {name: 'centerCrop_rank3', factory: 'centerCrop', config: {height: 2, width: 2}, noSymbolic: true,
   inputs: [{shape: [4, 4, 1]}]},
  {name: 'centerCrop_upsize', factory: 'centerCrop', config: {height: 4, width: 5},
   inputs: [{shape: [1, 2, 3, 1]}]},
  {name: 'resizing_bilinear', factory: 'resizing', config: {height: 3, width: 5}, inputs: [{shape: [1, 2, 3, 2]}]},
  {name: 'resizing_nearest', factory: 'resizing', config: {height: 4, width: 2, interpolation: 'nearest'},
   inputs: [{shape: [2, 2, 3, 1]}]},
  {name: 'resizing_crop_to_aspect', factory: 'resizing', config: {height: 3, width: 3, cropToAspectRatio: true},
   inputs: [{shape: [1, 4, 6, 1]}]},
  {name: 'categoryEncoding_multiHot', factory: 'categoryEncoding', config: {numTokens: 5},
   inputs: [{shape: [2, 3], dtype: 'int32', values: [0, 1, 1, 4, 3, 0]}]},
  {name: 'categoryEncoding_oneHot', factory: 'categoryEncoding', config: {numTokens: 4, outputMode: 'oneHot'},
   inputs: [{shape: [3], dtype: 'int32', values: [3, 0, 2]}]},
  {name: 'categoryEncoding_count', factory: 'categoryEncoding', config: {numTokens: 4, outputMode: 'count'},
   inputs: [{shape: [2, 3], dtype: 'int32', values: [0, 1, 1, 3, 3, 3]}]},
  {name: 'categoryEncoding_count_weights', factory: 'categoryEncoding', config: {numTokens: 4, outputMode: 'count'},
   inputs: [{shape: [2, 3], dtype: 'int32', values: [0, 1, 1, 3, 3, 2]}], noSymbolic: true,
   kwargs: {countWeights: {shape: [2, 3], values: [0.5, 1, 2, 1, 1.5, 3]}}},
  {name: 'categoryEncoding_out_of_range', factory: 'categoryEncoding', config: {numTokens: 3},
   inputs: [{shape: [1, 2], dtype: 'int32', values: [0, 3]}], noSymbolic: true},
];

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const outDir = path.join(__dirname, '..', 'layers', 'data');
  fs.mkdirSync(outDir, {recursive: true});
  for (const [family, cases] of Object.entries(CASES)) {
    const records = cases.map((c) => tf.tidy(() => runCase(c)));
    const file = path.join(outDir, `${family}.json`);
    fs.writeFileSync(file, JSON.stringify({generatedBy: `tfjs ${tf.version.tfjs}`, cases: records}) + '\n');
    const errors = records.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
    process.stderr.write(`${file}: ${records.length} cases${errors.length ? '\n  ' + errors.join('\n  ') : ''}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
