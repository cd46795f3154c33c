// One step of a fused LSTM's backpropagation through time, one invocation per
// (batch row b, unit j), from the last step down: the gradient reaching state
// u_step (from step u_step + 1, or dhLast / dcLast at the last step), then the
// gate pre-activation gradients dz of this step. FINAL: the gradients reaching
// the initial state from step 0, into out0 (dh0) and out1 (dc0).
// Layouts of tfjs_py/backends/cpu/kernels/recurrent.py: in0 dhSeq [batch, time,
// u] (processing order); in1 recurrent kernel [u, 4u] (columns i, f, c, o); in2
// gates [time, 4u, batch] (rows i, f, o, c) and in6 dz [4u, time, batch] (rows
// i, f, c, o, as the weights' columns); in3
// cells [time, u, batch]; in4 c0 [batch, u]; in5 mask [batch, time] (HAS_MASK);
// in7 gh, in8 gc (the gradients of each step's h and c state) and in9 gct (of
// its new cell, masked) [time, batch, u]; in10 dhLast, in11 dcLast.
// out0 dz, out1 gh, out2 gc, out3 gct, written at step u_step.
#include "common.glsl"
#include "lstm_common.glsl"

uniform int u_size;  // batch * units
uniform int u_units;
uniform int u_batch;
uniform int u_steps;
uniform int u_step;
uniform int u_time;       // input time index of step u_step (for the mask)
uniform int u_next_time;  // of step u_step + 1
uniform int u_last;       // u_step is the last step

float keep_at(int b, int t) {
#ifdef HAS_MASK
    return fetch(in5, b * u_steps + t) != 0.0 ? 1.0 : 0.0;
#else
    return 1.0;
#endif
}

// The gradients reaching the h and c state before step `sn`, from step sn.
void carry(int b, int j, int sn, int tn, out float gh, out float gc) {
    int u = u_units;
    int stride = u_steps * u_batch;  // between rows of dz
    int z0 = sn * u_batch + b;
    int ur = j * 4 * u;
    float acc = 0.0;
    for (int k = 0; k < 4 * u; ++k) {
        acc += fetch(in6, k * stride + z0) * fetch(in1, ur + k);
    }
    float drop = 1.0 - keep_at(b, tn);
    int row = (sn * u_batch + b) * u + j;
    float f = fetch(in2, (sn * 4 * u + u + j) * u_batch + b);
    gh = acc + drop * fetch(in7, row);
    gc = fetch(in9, row) * f + drop * fetch(in8, row);
}

void main() {
    int g = GLOBAL_ID;
    if (g >= u_size) return;
    int u = u_units;
    int j = g % u;
    int b = g / u;
    float gh, gc;
#ifdef FINAL
    carry(b, j, 0, u_time, gh, gc);
    store0(b * u + j, gh);
    put(out1, b * u + j, gc);
#else
    if (u_last != 0) {
        gh = fetch(in10, b * u + j);
        gc = fetch(in11, b * u + j);
    } else {
        carry(b, j, u_step + 1, u_next_time, gh, gc);
    }
    gh += float(load0((b * u_steps + u_step) * u + j));
    float keep = keep_at(b, u_time);
    float ghn = keep * gh;
    int gate = u_step * 4 * u + j;
    float gi = fetch(in2, gate * u_batch + b), gf = fetch(in2, (gate + u) * u_batch + b);
    float go = fetch(in2, (gate + 2 * u) * u_batch + b);
    float gg = fetch(in2, (gate + 3 * u) * u_batch + b);
    float c = fetch(in3, (u_step * u + j) * u_batch + b);
    float c_prev = u_step > 0 ? fetch(in3, ((u_step - 1) * u + j) * u_batch + b)
                              : fetch(in4, b * u + j);
    float ac = activate(c, ACT);
    float gct = keep * gc + ghn * go * derivative(ac, ACT);
    int stride = u_steps * u_batch;
    int col = u_step * u_batch + b;
    store0(j * stride + col, gct * gg * derivative(gi, REC_ACT));
    store0((u + j) * stride + col, gct * c_prev * derivative(gf, REC_ACT));
    store0((2 * u + j) * stride + col, gct * gi * derivative(gg, ACT));
    store0((3 * u + j) * stride + col, ghn * ac * derivative(go, REC_ACT));
    int row = (u_step * u_batch + b) * u + j;
    put(out1, row, gh);
    put(out2, row, gc);
    put(out3, row, gct);
#endif
}
