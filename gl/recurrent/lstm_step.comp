// One time step of a fused LSTM (tfjs' LSTMCell, gates i, f, c, o), one
// invocation per (batch row b, unit j), after the step's recurrent product
// h_prev . U (a matMul): activations, the cell and the output. Where the mask
// is 0 the step keeps the previous c and outputs the previous h (tfjs' rnn()).
// in0 xw [batch, time, 4u] (x . kernel, input time order); in1 h_prev . U
// [batch, 4u]; in2 bias [4u] (HAS_BIAS); in3 h_prev, in4 c_prev [batch, u];
// in5 mask [batch, time] (HAS_MASK); in6 x [batch, time, features].
// Outputs (layouts of tfjs_py/backends/cpu/kernels/recurrent.py), at step
// u_step: out0 state [time, 6u, batch] (rows i, f, o, c~ activated, c_prev,
// act(c)); out1 the step inputs [time, features + u + 1, batch]; out2 h and
// out3 c [batch, u]; out4 hSeq [batch, time, u] (RETURN_SEQUENCES).
#include "common.glsl"
#include "lstm_common.glsl"

uniform int u_size;  // batch * units
uniform int u_units;
uniform int u_batch;
uniform int u_steps;
uniform int u_step;  // processing index
uniform int u_time;  // input time index of this step
uniform int u_features;

void main() {
    int g = GLOBAL_ID;
    if (g >= u_size) return;
    int u = u_units;
    int j = g % u;
    int b = g / u;
    int zx = (b * u_steps + u_time) * 4 * u + j;
    float xi = float(load0(zx)), xf = float(load0(zx + u));
    float xc = float(load0(zx + 2 * u)), xo = float(load0(zx + 3 * u));
#ifdef HAS_BIAS
    xi += fetch(in2, j);
    xf += fetch(in2, u + j);
    xc += fetch(in2, 2 * u + j);
    xo += fetch(in2, 3 * u + j);
#endif
    int zr = b * 4 * u + j;
    float i = activate(xi + fetch(in1, zr), REC_ACT);
    float f = activate(xf + fetch(in1, zr + u), REC_ACT);
    float cc = activate(xc + fetch(in1, zr + 2 * u), ACT);
    float o = activate(xo + fetch(in1, zr + 3 * u), REC_ACT);
    float h_prev = fetch(in3, g);
    float c_prev = fetch(in4, g);
    float c = f * c_prev + i * cc;
    float ac = activate(c, ACT);
    float h = o * ac;
#ifdef HAS_MASK
    if (fetch(in5, b * u_steps + u_time) == 0.0) {
        c = c_prev;
        h = h_prev;
    }
#endif
    int row = u_step * 6 * u + j;
    store0(row * u_batch + b, i);
    store0((row + u) * u_batch + b, f);
    store0((row + 2 * u) * u_batch + b, o);
    store0((row + 3 * u) * u_batch + b, cc);
    store0((row + 4 * u) * u_batch + b, c_prev);
    store0((row + 5 * u) * u_batch + b, ac);
    put(out2, g, h);
    put(out3, g, c);
#ifdef RETURN_SEQUENCES
    put(out4, (b * u_steps + u_step) * u + j, h);
#endif
    // The step's [x_t; h_prev; 1] column.
    int col = u_step * (u_features + u + 1) * u_batch + b;
    put(out1, col + (u_features + j) * u_batch, h_prev);
    for (int k = j; k < u_features; k += u) {
        put(out1, col + k * u_batch, fetch(in6, (b * u_steps + u_time) * u_features + k));
    }
    if (j == 0) put(out1, col + (u_features + u) * u_batch, 1.0);
}
