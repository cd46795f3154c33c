// ApplyMomentum (in: value, accum, grad): accum' = accum * momentum + grad;
// value' = value - lr * accum', or with NESTEROV value - lr * (grad + accum' * momentum).
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_neg_lr;
uniform float u_momentum;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float grad = load2(i);
    float accum = load1(i) * u_momentum + grad;
#if defined(NESTEROV)
    float step = grad + accum * u_momentum;
#else
    float step = accum;
#endif
    store0(i, step * u_neg_lr + value);
    store1(i, accum);
}
