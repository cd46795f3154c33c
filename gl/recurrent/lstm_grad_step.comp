// One step of a fused LSTM's backpropagation through time, one invocation per
// (batch row b, unit j), from the last step down. The gradient reaching the h
// state of step u_step is dhSeq's (HAS_SEQ) + dhLast at the last step, else
// the previous dispatch's recurrent product dz . U^T (a matMul) + its masked
// carry; the gradient reaching the c state likewise. Then this step's gate
// pre-activation gradients dz, and the carries for the step before.
// Layouts of tfjs_py/backends/cpu/kernels/recurrent.py: in0 dhSeq [batch, time,
// u] (processing order); in1 state [time, 6u, batch] (rows i, f, o, c~, c_prev,
// act(c)); in2 mask [batch, time] (HAS_MASK); in3 dz . U^T, in4 the h carry,
// in5 the c gradient [batch, u]; in6 dhLast, in7 dcLast. Outputs: out0 dz [4u,
// time, batch] and out1 this step's dz [batch, 4u] (rows / columns i, f, c, o,
// as the weights'); out2 the h carry (1 - mask) * gh and out3 the c gradient
// for the step before.
#include "common.glsl"
#include "lstm_common.glsl"

uniform int u_size;  // batch * units
uniform int u_units;
uniform int u_batch;
uniform int u_steps;
uniform int u_step;
uniform int u_time;  // input time index of step u_step (for the mask)
uniform int u_last;  // u_step is the last step

void main() {
    int g = GLOBAL_ID;
    if (g >= u_size) return;
    int u = u_units;
    int j = g % u;
    int b = g / u;
    float gh, gc;
    if (u_last != 0) {
        gh = fetch(in6, g);
        gc = fetch(in7, g);
    } else {
        gh = fetch(in3, g) + fetch(in4, g);
        gc = fetch(in5, g);
    }
#ifdef HAS_SEQ
    gh += float(load0((b * u_steps + u_step) * u + j));
#endif
#ifdef HAS_MASK
    float keep = fetch(in2, b * u_steps + u_time) != 0.0 ? 1.0 : 0.0;
#else
    float keep = 1.0;
#endif
    float ghn = keep * gh;
    int row = u_step * 6 * u + j;
    float gi = fetch(in1, row * u_batch + b), gf = fetch(in1, (row + u) * u_batch + b);
    float go = fetch(in1, (row + 2 * u) * u_batch + b);
    float gg = fetch(in1, (row + 3 * u) * u_batch + b);
    float c_prev = fetch(in1, (row + 4 * u) * u_batch + b);
    float ac = fetch(in1, (row + 5 * u) * u_batch + b);
    float gct = keep * gc + ghn * go * derivative(ac, ACT);
    float dz_i = gct * gg * derivative(gi, REC_ACT);
    float dz_f = gct * c_prev * derivative(gf, REC_ACT);
    float dz_c = gct * gi * derivative(gg, ACT);
    float dz_o = ghn * ac * derivative(go, REC_ACT);
    int stride = u_steps * u_batch;
    int col = u_step * u_batch + b;
    store0(j * stride + col, dz_i);
    store0((u + j) * stride + col, dz_f);
    store0((2 * u + j) * stride + col, dz_c);
    store0((3 * u + j) * stride + col, dz_o);
    int zr = b * 4 * u + j;
    put(out1, zr, dz_i);
    put(out1, zr + u, dz_f);
    put(out1, zr + 2 * u, dz_c);
    put(out1, zr + 3 * u, dz_o);
    put(out2, g, (1.0 - keep) * gh);
    put(out3, g, gct * gf + (1.0 - keep) * gc);
}
