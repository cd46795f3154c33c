// Writes reference models saved by real TensorFlow.js 4.22 into tfjs/<name>/.
//
// Each folder holds model.json + weights.bin laid out exactly as tfjs-node's
// file:// handler writes them, and expected.json with a fixed input, the
// model.predict output and the model.summary() text. Every folder is loaded
// back through tf.loadLayersModel and predicted again, so only models that
// tfjs itself round-trips are kept. See README.md for how to run it.

const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const {folderLoader} = require('./tfjs_folder_loader');

const OUT_DIR = path.join(__dirname, 'tfjs');

// mulberry32: a tiny seeded generator, so values do not depend on tfjs' RNG.
function seededUniform(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededValues(rand, size, low, high) {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = low + (high - low) * rand();
  return values;
}

// Variances must stay positive; scales stay near 1 so layers stay well-conditioned.
function valueRangeFor(weightName) {
  if (weightName.includes('moving_variance')) return [0.5, 1.5];
  if (weightName.includes('gamma')) return [0.75, 1.25];
  return [-0.5, 0.5];
}

function setDeterministicWeights(model, seed) {
  const rand = seededUniform(seed);
  const values = model.weights.map(w => {
    const [low, high] = valueRangeFor(w.originalName);
    return tf.tensor(seededValues(rand, tf.util.sizeFromShape(w.shape), low, high), w.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

function inputTensor(seed, shape, {integersBelow = null} = {}) {
  const rand = seededUniform(seed);
  const size = tf.util.sizeFromShape(shape);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    values[i] = integersBelow == null ? Math.round((rand() * 2 - 1) * 1000) / 1000 :
                                        Math.floor(rand() * integersBelow);
  }
  return tf.tensor(values, shape);
}

function tensorRecord(t) {
  return {shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync())};
}

function summaryText(model) {
  const lines = [];
  model.summary(undefined, undefined, line => lines.push(line));
  return lines.join('\n');
}

function toBuffer(weightData) {
  const parts = Array.isArray(weightData) ? weightData : [weightData];
  return Buffer.concat(parts.map(p => Buffer.from(p)));
}

// The model.json that tfjs-node's NodeFileSystem.save writes, same key order.
function modelJSONFor(artifacts) {
  const modelJSON = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{paths: ['weights.bin'], weights: artifacts.weightSpecs}],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) {
    modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  }
  return modelJSON;
}

function asList(x) {
  return Array.isArray(x) ? x : [x];
}

function maxAbsDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

// `reloadAppliesConstraints`: tfjs' LayerVariable.write applies a weight's
// constraint, so setWeights and loading both constrain the stored values; a
// constraint that is not idempotent (minMaxNorm with rate < 1) changes the
// weights again on load. `outputs` is then what the loaded files give.
async function saveReference(name, model, inputs, extra = {}, saveConfig = {},
                             {reloadAppliesConstraints = false} = {}) {
  const dir = path.join(OUT_DIR, name);
  let captured = null;
  await model.save(tf.io.withSaveHandler(async artifacts => {
    captured = artifacts;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }), saveConfig);
  fs.rmSync(dir, {recursive: true, force: true});
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJSONFor(captured)), 'utf8');
  fs.writeFileSync(path.join(dir, 'weights.bin'), toBuffer(captured.weightData));

  const outputs = asList(model.predict(inputs.length === 1 ? inputs[0] : inputs));
  const reloaded = await tf.loadLayersModel(folderLoader(dir));
  const again = asList(reloaded.predict(inputs.length === 1 ? inputs[0] : inputs));
  const worst = Math.max(...outputs.map((o, i) => maxAbsDiff(o.dataSync(), again[i].dataSync())));
  if (worst > 1e-6 && !reloadAppliesConstraints) {
    throw new Error(`${name}: reloaded model differs by ${worst}`);
  }

  const expected = {
    inputs: inputs.map(tensorRecord),
    outputs: again.map(tensorRecord),
    summary: summaryText(model),
    ...extra,
  };
  if (reloadAppliesConstraints) {
    expected.outputs_of_saving_model = outputs.map(tensorRecord);
    expected.note = 'tfjs applies weight constraints when it writes a variable (setWeights, ' +
        'loading); MinMaxNorm with rate 0.9 is not idempotent, so the loaded model differs ' +
        'from the saving one. outputs = tfjs.loadLayersModel(these files).predict(inputs).';
  }
  fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
  tf.dispose([...outputs, ...again, ...inputs]);
  reloaded.dispose();
  model.dispose();
  const size = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  console.log(`${name}: ${size} bytes`);
}

const L = tf.layers;

async function seedModel() {
  const model = tf.sequential();
  model.add(L.dense({units: 1, inputShape: [1]}));
  setDeterministicWeights(model, 1);
  await saveReference('seed_dense', model, [tf.tensor2d([[1], [2], [3], [5]], [4, 1])]);
}

async function mlp() {
  const model = tf.sequential({
    layers: [
      L.dense({units: 16, activation: 'relu', inputShape: [8]}),
      L.dropout({rate: 0.25}),
      L.dense({units: 8, activation: 'relu'}),
      L.dense({units: 4, activation: 'softmax'}),
    ],
  });
  setDeterministicWeights(model, 2);
  await saveReference('mlp', model, [inputTensor(102, [3, 8])]);
}

async function cnn() {
  const model = tf.sequential({
    layers: [
      L.conv2d({filters: 4, kernelSize: 3, padding: 'same', activation: 'relu',
                inputShape: [8, 8, 2]}),
      L.maxPooling2d({poolSize: 2}),
      L.batchNormalization(),
      L.conv2d({filters: 3, kernelSize: 2, padding: 'valid', strides: 1}),
      L.flatten(),
      L.dense({units: 5}),
    ],
  });
  setDeterministicWeights(model, 3);
  await saveReference('cnn', model, [inputTensor(103, [2, 8, 8, 2])]);
}

async function recurrentStack() {
  const model = tf.sequential({
    layers: [
      L.lstm({units: 4, returnSequences: true, inputShape: [5, 3]}),
      L.gru({units: 3, returnSequences: true, resetAfter: false}),
      L.simpleRNN({units: 2}),
    ],
  });
  setDeterministicWeights(model, 4);
  await saveReference('rnn_stack', model, [inputTensor(104, [2, 5, 3])]);
}

async function embeddingPooling() {
  const model = tf.sequential({
    layers: [
      L.embedding({inputDim: 10, outputDim: 4, inputLength: 6}),
      L.globalAveragePooling1d(),
      L.dense({units: 2}),
    ],
  });
  setDeterministicWeights(model, 5);
  await saveReference('embedding_pooling', model, [inputTensor(105, [3, 6], {integersBelow: 10})]);
}

async function functionalTwoInTwoOut() {
  const inA = tf.input({shape: [4], name: 'input_a'});
  const inB = tf.input({shape: [4], name: 'input_b'});
  const shared = L.dense({units: 3, activation: 'tanh', name: 'shared_dense'});
  const a = shared.apply(inA);
  const b = shared.apply(inB);
  const joined = L.concatenate().apply([a, b]);
  const out1 = L.dense({units: 2, name: 'out_main'}).apply(joined);
  const out2 = L.dense({units: 1, activation: 'sigmoid', name: 'out_aux'}).apply(b);
  const model = tf.model({inputs: [inA, inB], outputs: [out1, out2], name: 'two_in_two_out'});
  setDeterministicWeights(model, 6);
  await saveReference('functional_shared', model, [inputTensor(106, [2, 4]), inputTensor(206, [2, 4])]);
}

async function nestedSequential() {
  const inner = tf.sequential({
    layers: [L.dense({units: 4, activation: 'relu', inputShape: [3]}), L.dense({units: 2})],
  });
  const model = tf.sequential({
    layers: [L.dense({units: 3, inputShape: [5]}), inner, L.dense({units: 1})],
  });
  setDeterministicWeights(model, 7);
  await saveReference('nested_sequential', model, [inputTensor(107, [2, 5])]);
}

async function nestedInFunctional() {
  const inner = tf.sequential({
    layers: [L.dense({units: 4, activation: 'relu', inputShape: [3]}), L.dense({units: 2})],
  });
  const input = tf.input({shape: [3]});
  const twice = L.add().apply([inner.apply(input), inner.apply(L.dense({units: 3}).apply(input))]);
  const model = tf.model({inputs: input, outputs: twice});
  setDeterministicWeights(model, 17);
  await saveReference('nested_in_functional', model, [inputTensor(117, [2, 3])]);
}

async function bidirectionalTimeDistributed() {
  const model = tf.sequential({
    layers: [
      L.bidirectional({layer: L.lstm({units: 3, returnSequences: true}), inputShape: [4, 2],
                       mergeMode: 'concat'}),
      L.timeDistributed({layer: L.dense({units: 2})}),
    ],
  });
  setDeterministicWeights(model, 8);
  await saveReference('bidirectional_time_distributed', model, [inputTensor(108, [2, 4, 2])]);
}

async function compiledWithOptimizer() {
  const model = tf.sequential({
    layers: [
      L.dense({units: 4, activation: 'relu', inputShape: [3]}),
      L.dense({units: 2, activation: 'softmax'}),
    ],
  });
  setDeterministicWeights(model, 9);
  const initialWeights = model.getWeights().map(tensorRecord);
  model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy',
                 metrics: ['accuracy']});
  const xs = inputTensor(109, [4, 3]);
  const ys = tf.tensor2d([[1, 0], [0, 1], [0, 1], [1, 0]]);
  const history = await model.fit(xs, ys, {epochs: 2, batchSize: 4, shuffle: false, verbose: 0});
  const extra = {
    training: {
      initial_weights: initialWeights,
      xs: tensorRecord(xs),
      ys: tensorRecord(ys),
      fit_config: {epochs: 2, batchSize: 4, shuffle: false},
      optimizer: 'tf.train.adam(0.01)',
      history: history.history,
    },
  };
  tf.dispose([xs, ys]);
  await saveReference('compiled_adam', model, [inputTensor(209, [2, 3])], extra,
                      {includeOptimizer: true});
}

async function userMetadata() {
  const model = tf.sequential({layers: [L.dense({units: 2, inputShape: [2]})]});
  setDeterministicWeights(model, 10);
  model.setUserDefinedMetadata({labels: ['cat', 'dog'], version: 3, nested: {ok: true}});
  await saveReference('user_metadata', model, [inputTensor(110, [2, 2])]);
}

async function regularizedConfigs() {
  const model = tf.sequential({
    layers: [
      L.dense({
        units: 4, inputShape: [3],
        kernelInitializer: tf.initializers.heUniform({seed: 42}),
        biasInitializer: tf.initializers.constant({value: 0.1}),
        kernelRegularizer: tf.regularizers.l1l2({l1: 0.01, l2: 0.02}),
        biasRegularizer: tf.regularizers.l2({l2: 0.001}),
        kernelConstraint: tf.constraints.maxNorm({maxValue: 2, axis: 0}),
        biasConstraint: tf.constraints.nonNeg(),
      }),
      L.dense({
        units: 3, activation: 'hardSigmoid', useBias: true,
        kernelInitializer: tf.initializers.varianceScaling(
            {scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: 7}),
        biasInitializer: tf.initializers.randomNormal({mean: 0.5, stddev: 0.1, seed: 3}),
        kernelRegularizer: tf.regularizers.l1({l1: 0.005}),
        kernelConstraint: tf.constraints.minMaxNorm({minValue: 0.5, maxValue: 1.5, rate: 0.9}),
        biasConstraint: tf.constraints.unitNorm({axis: 0}),
      }),
      L.dense({
        units: 2,
        kernelInitializer: tf.initializers.orthogonal({gain: 1.5, seed: 11}),
        biasInitializer: tf.initializers.truncatedNormal({stddev: 0.2, seed: 5}),
      }),
    ],
  });
  setDeterministicWeights(model, 11);
  await saveReference('regularizers_constraints', model, [inputTensor(111, [2, 3])], {}, {},
                      {reloadAppliesConstraints: true});
}

async function convolutionVariants() {
  const model = tf.sequential({
    layers: [
      L.zeroPadding2d({padding: [[1, 1], [2, 0]], inputShape: [6, 5, 2]}),
      L.conv2dTranspose({filters: 3, kernelSize: 3, strides: 2, padding: 'same'}),
      L.cropping2D({cropping: [[2, 1], [1, 3]]}),
      L.separableConv2d({filters: 4, kernelSize: 3, depthMultiplier: 1, padding: 'valid'}),
      L.depthwiseConv2d({kernelSize: 2, depthMultiplier: 2, activation: 'relu'}),
      L.averagePooling2d({poolSize: 2, strides: 2}),
      L.upSampling2d({size: [2, 1]}),
      L.globalMaxPooling2d({}),
    ],
  });
  setDeterministicWeights(model, 12);
  await saveReference('conv_variants', model, [inputTensor(112, [2, 6, 5, 2])]);
}

async function convolution1d() {
  const model = tf.sequential({
    layers: [
      L.conv1d({filters: 3, kernelSize: 3, padding: 'same', dilationRate: 2, inputShape: [10, 2]}),
      L.maxPooling1d({poolSize: 2}),
      L.averagePooling1d({poolSize: 2, padding: 'same'}),
      L.globalMaxPooling1d({}),
    ],
  });
  setDeterministicWeights(model, 13);
  await saveReference('conv1d_pooling', model, [inputTensor(113, [2, 10, 2])]);
}

async function normalizationActivations() {
  const model = tf.sequential({
    layers: [
      L.dense({units: 6, inputShape: [5]}),
      L.layerNormalization(),
      L.prelu(),
      L.dense({units: 6}),
      L.leakyReLU({alpha: 0.2}),
      L.elu(),
      L.thresholdedReLU({theta: 0.1}),
      L.dense({units: 4}),
      L.reLU({maxValue: 0.6}),
      L.activation({activation: 'selu'}),
      L.softmax(),
    ],
  });
  setDeterministicWeights(model, 14);
  await saveReference('normalization_activations', model, [inputTensor(114, [3, 5])]);
}

async function reshaping() {
  const model = tf.sequential({
    layers: [
      L.dense({units: 6, inputShape: [4]}),
      L.reshape({targetShape: [2, 3]}),
      L.permute({dims: [2, 1]}),
      L.flatten(),
      L.repeatVector({n: 2}),
      L.simpleRNN({units: 2}),
    ],
  });
  setDeterministicWeights(model, 15);
  await saveReference('reshape_permute_repeat', model, [inputTensor(115, [2, 4])]);
}

async function masking() {
  const model = tf.sequential({
    layers: [
      L.masking({maskValue: 0, inputShape: [4, 3]}),
      L.lstm({units: 3}),
    ],
  });
  setDeterministicWeights(model, 16);
  const x = inputTensor(116, [2, 4, 3]);
  // Masked steps: the last step of sample 0 and the second step of sample 1 are all zeros.
  const mask = tf.tensor3d([1, 1, 1, 0, 1, 0, 1, 1], [2, 4, 1]);
  const masked = x.mul(mask);
  tf.dispose([x, mask]);
  await saveReference('masking_lstm', model, [masked]);
}

async function mergeLayers() {
  const a = tf.input({shape: [4], name: 'a'});
  const b = tf.input({shape: [4], name: 'b'});
  const merged = [
    L.add().apply([a, b]),
    L.average().apply([a, b]),
    L.multiply().apply([a, b]),
    L.maximum().apply([a, b]),
    L.minimum().apply([a, b]),
    L.dot({axes: 1}).apply([a, b]),
    L.dot({axes: -1, normalize: true}).apply([a, b]),
  ];
  const out = L.dense({units: 2}).apply(L.concatenate({axis: -1}).apply(merged));
  const model = tf.model({inputs: [a, b], outputs: out});
  setDeterministicWeights(model, 18);
  await saveReference('merge_layers', model, [inputTensor(118, [3, 4]), inputTensor(218, [3, 4])]);
}

async function main() {
  await tf.setBackend('cpu');
  fs.mkdirSync(OUT_DIR, {recursive: true});
  const builders = [
    seedModel, mlp, cnn, recurrentStack, embeddingPooling, functionalTwoInTwoOut,
    nestedSequential, nestedInFunctional, bidirectionalTimeDistributed, compiledWithOptimizer,
    userMetadata, regularizedConfigs, convolutionVariants, convolution1d,
    normalizationActivations, reshaping, masking, mergeLayers,
  ];
  for (const build of builders) await build();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
