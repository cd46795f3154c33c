// ApplyAdadelta (in: value, accum, accum_update, grad), as tfjs: the step is
// scaled by the accumulated squared gradient from before this step.
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_neg_lr;
uniform float u_rho;
uniform float u_one_minus_rho;
uniform float u_epsilon;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float accum = load1(i);
    float accum_update = load2(i);
    float grad = load3(i);
    float new_accum = accum * u_rho + (grad * grad) * u_one_minus_rho;
    float update = (sqrt(accum_update + u_epsilon) / sqrt(accum + u_epsilon)) * grad;
    float new_update = accum_update * u_rho + (update * update) * u_one_minus_rho;
    store0(i, update * u_neg_lr + value);
    store1(i, new_accum);
    store2(i, new_update);
}
