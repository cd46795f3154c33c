// One time step of a fused LSTM (tfjs' LSTMCell, gates i, f, c, o), one
// invocation per (batch row b, unit j): the four pre-activations x.W + bias +
// h_prev.U, the cell and the output. Where the mask is 0 the step keeps the
// previous c and outputs the previous h (tfjs' rnn()).
// in0 xw [batch, time, 4u] (x . kernel, input time order); in1 recurrent kernel
// [u, 4u]; in2 bias [4u] (HAS_BIAS); in3 / in4 the previous h / c: h0 and c0
// [batch, u] at step 0, then the hs and cells outputs; in5 mask [batch, time]
// (HAS_MASK); in6 x [batch, time, features]. Outputs, written at step u_step
// (layouts of tfjs_py/backends/cpu/kernels/recurrent.py): out0 gates
// [time, 4u, batch] activated, rows i, f, o, c; out1 cells [time, u, batch];
// out2 hs [time, batch, u]; out3 the step inputs [features + u + 1, time, batch].
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
    bool first = u_step == 0;
    int hrow = first ? b * u : ((u_step - 1) * u_batch + b) * u;
    float ri = 0.0, rf = 0.0, rc = 0.0, ro = 0.0;
    for (int k = 0; k < u; ++k) {
        float h = fetch(in3, hrow + k);
        int r = k * 4 * u + j;
        ri += h * fetch(in1, r);
        rf += h * fetch(in1, r + u);
        rc += h * fetch(in1, r + 2 * u);
        ro += h * fetch(in1, r + 3 * u);
    }
    float i = activate(xi + ri, REC_ACT);
    float f = activate(xf + rf, REC_ACT);
    float cc = activate(xc + rc, ACT);
    float o = activate(xo + ro, REC_ACT);
    float c_prev = fetch(in4, first ? b * u + j : ((u_step - 1) * u + j) * u_batch + b);
    float h_prev = fetch(in3, hrow + j);
    float c = f * c_prev + i * cc;
    float h = o * activate(c, ACT);
#ifdef HAS_MASK
    if (fetch(in5, b * u_steps + u_time) == 0.0) {
        c = c_prev;
        h = h_prev;
    }
#endif
    int gate = u_step * 4 * u;
    store0((gate + j) * u_batch + b, i);
    store0((gate + u + j) * u_batch + b, f);
    store0((gate + 2 * u + j) * u_batch + b, o);
    store0((gate + 3 * u + j) * u_batch + b, cc);
    put(out1, (u_step * u + j) * u_batch + b, c);
    put(out2, (u_step * u_batch + b) * u + j, h);
    // The step's [x_t; h_prev; 1] column.
    int col = u_step * u_batch + b;
    int stride = u_steps * u_batch;
    put(out3, (u_features + j) * stride + col, h_prev);
    for (int k = j; k < u_features; k += u) {
        put(out3, k * stride + col, fetch(in6, (b * u_steps + u_time) * u_features + k));
    }
    if (j == 0) put(out3, (u_features + u) * stride + col, 1.0);
}
