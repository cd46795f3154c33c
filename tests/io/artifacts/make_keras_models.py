"""Writes reference models converted from Keras by the real tensorflowjs 4.22 converter.

Each model is built with tf_keras (Keras 2, the format `--input_format keras`
reads), given deterministic weights, saved as .h5 and converted with
`tensorflowjs_converter` into keras/<name>/. expected.json beside it holds a
fixed input, the Keras predictions and the predictions of real tfjs loading
the converted folder (run through predict_with_tfjs.js). One extra model is
built with Keras 3 and converted from its .keras file (`--input_format
keras_keras`). See README.md for how to run it.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import keras  # Keras 3: only for the keras_keras model
import tensorflow as tf
import tensorflowjs
import tf_keras

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / 'keras'
CONVERTER = str(Path(sys.executable).parent / 'tensorflowjs_converter')
L = tf_keras.layers
warnings.filterwarnings('ignore', message='You are saving your model as an HDF5 file')


def value_range_for(weight_name: str) -> tuple[float, float]:
    """Variances stay positive and scales near 1, so layers stay well-conditioned."""
    if 'moving_variance' in weight_name:
        return 0.5, 1.5
    if 'gamma' in weight_name:
        return 0.75, 1.25
    return -0.5, 0.5


def set_deterministic_weights(model, seed: int) -> None:
    rng = np.random.RandomState(seed)
    values = []
    for w in model.weights:
        low, high = value_range_for(w.name)
        values.append(rng.uniform(low, high, size=tuple(w.shape)).astype(np.float32))
    model.set_weights(values)


def fixed_input(seed: int, shape: tuple[int, ...], integers_below: int | None = None) -> np.ndarray:
    rng = np.random.RandomState(seed)
    if integers_below is not None:
        return rng.randint(0, integers_below, size=shape).astype(np.float32)
    return np.round(rng.uniform(-1, 1, size=shape), 3).astype(np.float32)


def record(array: np.ndarray) -> dict:
    array = np.asarray(array, dtype=np.float32)
    return {'shape': list(array.shape), 'dtype': 'float32',
            'values': [float(v) for v in array.ravel()]}


def convert(source: Path, out: Path, input_format: str, flags: list[str]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([CONVERTER, '--input_format', input_format, str(source), str(out), *flags],
                   check=True)


def tfjs_predictions(model_dir: Path, inputs: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(inputs, f)
    try:
        done = subprocess.run(['node', str(HERE / 'predict_with_tfjs.js'), str(model_dir), f.name],
                              check=True, capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return json.loads(done.stdout.strip().splitlines()[-1])


def max_abs_diff(a: list[dict], b: list[dict]) -> float:
    return max(float(np.max(np.abs(np.array(x['values']) - np.array(y['values']))))
               for x, y in zip(a, b, strict=True))


def write_expected(out: Path, inputs: list[np.ndarray], keras_outputs, extra: dict) -> None:
    input_records = [record(x) for x in inputs]
    outputs = keras_outputs if isinstance(keras_outputs, list) else [keras_outputs]
    expected = {'inputs': input_records, 'outputs': [record(o) for o in outputs]}
    tfjs = tfjs_predictions(out, input_records)
    if 'error' in tfjs:
        expected['tfjs_error'] = tfjs['error']
    else:
        expected['tfjs_outputs'] = tfjs['outputs']
        expected['tfjs_max_abs_diff_from_keras'] = max_abs_diff(expected['outputs'],
                                                                tfjs['outputs'])
    expected.update(extra)
    (out / 'expected.json').write_text(json.dumps(expected, indent=1) + '\n')
    print(f'{out.name}: {sum(p.stat().st_size for p in out.iterdir())} bytes, '
          f'{expected.get("tfjs_error") or expected.get("tfjs_max_abs_diff_from_keras")}')


def save_and_convert(name: str, model, inputs: list[np.ndarray], flags: list[str] = (),
                     extra: dict | None = None) -> None:
    out = OUT_DIR / name
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp) / 'model.h5'
        model.save(h5, save_format='h5')
        convert(h5, out, 'keras', list(flags))
    predictions = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    write_expected(out, inputs, predictions, extra or {})


def dense_compiled():
    model = tf_keras.Sequential([
        L.Dense(8, activation='relu', input_shape=(4,)),
        L.Dense(3, activation='softmax'),
    ])
    model.compile(optimizer=tf_keras.optimizers.Adam(0.01), loss='categorical_crossentropy',
                  metrics=['accuracy'])
    set_deterministic_weights(model, 1)
    save_and_convert('dense', model, [fixed_input(101, (3, 4))])


def conv_batchnorm():
    model = tf_keras.Sequential([
        L.Conv2D(4, 3, padding='same', activation='relu', input_shape=(6, 6, 2)),
        L.BatchNormalization(),
        L.MaxPooling2D(2),
        L.Conv2D(3, 2, padding='valid'),
        L.Flatten(),
        L.Dense(2),
    ])
    set_deterministic_weights(model, 2)
    save_and_convert('conv_batchnorm', model, [fixed_input(102, (2, 6, 6, 2))])


def lstm():
    model = tf_keras.Sequential([L.LSTM(4, input_shape=(5, 3))])
    set_deterministic_weights(model, 3)
    save_and_convert('lstm', model, [fixed_input(103, (2, 5, 3))])


def gru(reset_after: bool):
    model = tf_keras.Sequential([
        L.GRU(3, return_sequences=True, reset_after=reset_after, input_shape=(4, 2)),
    ])
    set_deterministic_weights(model, 4)
    name = 'gru_reset_after' if reset_after else 'gru_reset_before'
    save_and_convert(name, model, [fixed_input(104, (2, 4, 2))])


def embedding():
    model = tf_keras.Sequential([
        L.Embedding(10, 4, input_length=6),
        L.GlobalAveragePooling1D(),
        L.Dense(2),
    ])
    set_deterministic_weights(model, 5)
    save_and_convert('embedding', model, [fixed_input(105, (3, 6), integers_below=10)])


def bidirectional_time_distributed():
    model = tf_keras.Sequential([
        L.Bidirectional(L.LSTM(3, return_sequences=True), input_shape=(4, 2)),
        L.TimeDistributed(L.Dense(2)),
    ])
    set_deterministic_weights(model, 6)
    save_and_convert('bidirectional_time_distributed', model, [fixed_input(106, (2, 4, 2))])


def functional_two_inputs():
    a = tf_keras.Input(shape=(4,), name='input_a')
    b = tf_keras.Input(shape=(3,), name='input_b')
    joined = L.Concatenate()([L.Dense(3, activation='tanh')(a), L.Dense(3)(b)])
    main = L.Dense(2, name='main_out')(joined)
    aux = L.Dense(1, activation='sigmoid', name='aux_out')(joined)
    model = tf_keras.Model(inputs=[a, b], outputs=[main, aux])
    set_deterministic_weights(model, 7)
    save_and_convert('functional_two_inputs', model,
                     [fixed_input(107, (2, 4)), fixed_input(207, (2, 3))])


def nested_model():
    inner = tf_keras.Sequential([
        L.Dense(4, activation='relu', input_shape=(3,)),
        L.Dense(2),
    ], name='inner')
    x = tf_keras.Input(shape=(5,))
    y = L.Dense(1)(inner(L.Dense(3)(x)))
    model = tf_keras.Model(x, y)
    set_deterministic_weights(model, 8)
    save_and_convert('nested_model', model, [fixed_input(108, (2, 5))])


def mlp_for_shards_and_quantization():
    model = tf_keras.Sequential([
        L.Dense(16, activation='relu', input_shape=(10,)),
        L.Dense(8, activation='tanh'),
        L.Dense(3),
    ])
    set_deterministic_weights(model, 9)
    return model


def multi_shard():
    # The first kernel is 640 bytes, so 256-byte shards cut through it.
    model = mlp_for_shards_and_quantization()
    save_and_convert('multi_shard', model, [fixed_input(109, (2, 10))],
                     flags=['--weight_shard_size_bytes', '256'])


def quantized():
    model = mlp_for_shards_and_quantization()
    inputs = [fixed_input(109, (2, 10))]
    float_outputs = model.predict(inputs[0], verbose=0)
    for kind in ('uint8', 'uint16', 'float16'):
        out = OUT_DIR / f'quantized_{kind}'
        with tempfile.TemporaryDirectory() as tmp:
            h5 = Path(tmp) / 'model.h5'
            model.save(h5, save_format='h5')
            convert(h5, out, 'keras', [f'--quantize_{kind}'])
        input_records = [record(x) for x in inputs]
        tfjs = tfjs_predictions(out, input_records)
        expected = {
            'inputs': input_records,
            'outputs': tfjs['outputs'],
            'note': 'outputs: real tfjs loading this folder (dequantized weights); '
                    'keras_float_outputs: the unquantized Keras model.',
            'keras_float_outputs': [record(float_outputs)],
            'max_abs_diff_from_float': max_abs_diff(tfjs['outputs'], [record(float_outputs)]),
        }
        (out / 'expected.json').write_text(json.dumps(expected, indent=1) + '\n')
        print(f'{out.name}: max diff from float {expected["max_abs_diff_from_float"]}')


def keras3_dense():
    model = keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(5, activation='relu'),
        keras.layers.Dense(2),
    ])
    set_deterministic_weights(model, 10)
    out = OUT_DIR / 'keras3_dense'
    inputs = [fixed_input(110, (3, 4))]
    with tempfile.TemporaryDirectory() as tmp:
        # The converter unzips the .keras file beside itself, so keep it in a scratch folder.
        source = Path(tmp) / 'model.keras'
        model.save(source)
        convert(source, out, 'keras_keras', ['--output_format', 'tfjs_layers_model'])
    write_expected(out, inputs, model.predict(inputs[0], verbose=0), {})


def main() -> None:
    print(f'tensorflow {tf.__version__}, tf_keras {tf_keras.__version__}, '
          f'keras {keras.__version__}, tensorflowjs {tensorflowjs.__version__}')
    OUT_DIR.mkdir(exist_ok=True)
    builders = [
        dense_compiled, conv_batchnorm, lstm, lambda: gru(reset_after=True),
        lambda: gru(reset_after=False), embedding, bidirectional_time_distributed,
        functional_two_inputs, nested_model, multi_shard, quantized, keras3_dense,
    ]
    for build in builders:
        # Fresh name counters, so every model's layers are named dense, dense_1, ...
        tf_keras.backend.clear_session()
        keras.backend.clear_session()
        build()


if __name__ == '__main__':
    main()
