// ApplyAdam (in: value, m, v, grad), tfjs' form: epsilon is added to the
// square root of the bias-corrected v (u_c1 = 1 - beta1^t, u_c2 = 1 - beta2^t).
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_neg_lr;
uniform float u_beta1;
uniform float u_one_minus_beta1;
uniform float u_beta2;
uniform float u_one_minus_beta2;
uniform float u_c1;
uniform float u_c2;
uniform float u_epsilon;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float grad = load3(i);
    float m = load1(i) * u_beta1 + grad * u_one_minus_beta1;
    float v = load2(i) * u_beta2 + (grad * grad) * u_one_minus_beta2;
    float step = (m / u_c1) / (sqrt(v / u_c2) + u_epsilon);
    store0(i, step * u_neg_lr + value);
    store1(i, m);
    store2(i, v);
}
