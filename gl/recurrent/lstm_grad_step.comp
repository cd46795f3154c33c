// One step of a fused LSTM's backpropagation through time, one invocation per
// (batch row b, unit j), from the last step down. The gradient reaching the h
// state of step u_step is dhSeq's + dhLast at the last step, else the previous
// dispatch's recurrent product dz . U^T (a matMul) + its masked carry; the
// gradient reaching the c state likewise. Then this step's gate pre-activation
// gradients dz, and the carries for the step before.
// Layouts of tfjs_py/backends/cpu/kernels/recurrent.py: in0 dhSeq [batch, time,
// u] (processing order); in1 gates [time, 4u, batch] (rows i, f, o, c); in2
// cells [time, u, batch]; in3 c0 [batch, u]; in4 mask [batch, time]
// (HAS_MASK); in5 dz . U^T, in6 the h carry, in7 the c gradient [batch, u];
// in8 dhLast, in9 dcLast. Outputs: out0 dz [4u, time, batch] and out1 this
// step's dz [batch, 4u] (rows / columns i, f, c, o, as the weights'); out2 the
// h carry (1 - mask) * gh and out3 the c gradient for the step before.
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
        gh = fetch(in8, g);
        gc = fetch(in9, g);
    } else {
        gh = fetch(in5, g) + fetch(in6, g);
        gc = fetch(in7, g);
    }
    gh += float(load0((b * u_steps + u_step) * u + j));
#ifdef HAS_MASK
    float keep = fetch(in4, b * u_steps + u_time) != 0.0 ? 1.0 : 0.0;
#else
    float keep = 1.0;
#endif
    float ghn = keep * gh;
    int gate = u_step * 4 * u + j;
    float gi = fetch(in1, gate * u_batch + b), gf = fetch(in1, (gate + u) * u_batch + b);
    float go = fetch(in1, (gate + 2 * u) * u_batch + b);
    float gg = fetch(in1, (gate + 3 * u) * u_batch + b);
    float c = fetch(in2, (u_step * u + j) * u_batch + b);
    float c_prev = u_step > 0 ? fetch(in2, ((u_step - 1) * u + j) * u_batch + b)
                              : fetch(in3, g);
    float ac = activate(c, ACT);
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
