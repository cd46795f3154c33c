// Loads a model folder with real tfjs (tf.loadLayersModel) and prints, as JSON,
// its predictions for the inputs in a JSON file: [{shape, values}, ...].
// Prints {"error": message} when tfjs refuses the model.
// Usage: node predict_with_tfjs.js <model_dir> <inputs.json>

const fs = require('fs');
const tf = require('@tensorflow/tfjs');
const {folderLoader} = require('./tfjs_folder_loader');

async function main() {
  const [dir, inputsPath] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'))
                     .map(r => tf.tensor(r.values, r.shape, r.dtype || 'float32'));
  let result;
  try {
    const model = await tf.loadLayersModel(folderLoader(dir));
    const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const outputs = Array.isArray(out) ? out : [out];
    result = {outputs: outputs.map(t => ({shape: t.shape, dtype: t.dtype,
                                          values: Array.from(t.dataSync())}))};
  } catch (e) {
    result = {error: String(e.message || e)};
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();
