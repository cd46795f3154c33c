#!/usr/bin/env node
/*
 * Evaluates JavaScript expressions with real TensorFlow.js (cpu backend) to get
 * reference values for tests.
 *
 * Setup (once):
 *   mkdir -p /tmp/tfjs-ref && cd /tmp/tfjs-ref && npm init -y && npm install @tensorflow/tfjs@4.22.0
 * Usage:
 *   NODE_PATH=/tmp/tfjs-ref/node_modules node tests/reference/tfjs_eval.js < cases.json
 *
 * Input (stdin): a JSON list of cases. A case is a string holding one JS expression that
 * may use `tf`, e.g. "tf.tensor2d([[1,2],[3,4]]).toString(true)", or an object
 * {"expr": "..."}. Statements fit in an IIFE: "(() => { const a = ...; return a; })()".
 * A promise (e.g. "tf.tensor([1]).data()" or an async IIFE) is awaited.
 *
 * Output (stdout): a JSON list with one result per case, in order:
 *   - strings, booleans and finite numbers as they are;
 *   - non-finite numbers as the strings "NaN", "Infinity", "-Infinity" (JSON has no such values);
 *   - a tensor as {"shape": [...], "dtype": "...", "values": [flat values]}; bool values are
 *     true/false, complex64 values are interleaved [re0, im0, re1, im1, ...];
 *   - typed arrays and arrays as lists, plain objects as objects, undefined as null;
 *   - a case that throws as {"error": "message"} (the other cases still run).
 * Anything a case logs (e.g. tensor.print()) goes to stderr, so stdout is only the JSON.
 * Each case runs in its own engine scope, so tensors do not pile up across cases.
 */
'use strict';

const tf = require('@tensorflow/tfjs');

function encodeNumber(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}

function encode(value) {
  if (value instanceof tf.Tensor) {
    const data = Array.from(value.dataSync());
    const values = value.dtype === 'bool' ? data.map((v) => v !== 0) : data.map(encode);
    return {shape: value.shape, dtype: value.dtype, values};
  }
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined || value === null) return null;
  if (ArrayBuffer.isView(value)) return Array.from(value, encode);
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return out;
  }
  return value;
}

async function evaluate(testCase) {
  const spec = typeof testCase === 'string' ? {expr: testCase} : testCase;
  if (!spec || typeof spec.expr !== 'string') {
    throw new Error('a case must be an expression string or {"expr": string}');
  }
  tf.engine().startScope();
  try {
    let result = new Function('tf', `"use strict"; return (${spec.expr});`)(tf);
    if (result && typeof result.then === 'function') result = await result;
    return encode(result);
  } finally {
    tf.engine().endScope();
  }
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  const cases = JSON.parse(await readStdin());
  if (!Array.isArray(cases)) throw new Error('stdin must hold a JSON list of cases');
  const log = console.log;
  console.log = (...args) => console.error(...args);
  await tf.setBackend('cpu');
  await tf.ready();
  const results = [];
  for (const testCase of cases) {
    try {
      results.push(await evaluate(testCase));
    } catch (err) {
      results.push({error: String(err && err.message !== undefined ? err.message : err)});
    }
  }
  process.stdout.write(JSON.stringify(results) + '\n');
  console.log = log;
}

main().catch((err) => {
  process.stderr.write(`tfjs_eval: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
