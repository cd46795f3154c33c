// ApplyAdaMax (in: value, m, u, grad): u' = max(u * beta2, |grad|), NaN if
// either is NaN as tfjs' maximum; u_scale = -lr / (1 - beta1^t).
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_scale;
uniform float u_beta1;
uniform float u_one_minus_beta1;
uniform float u_beta2;
uniform float u_epsilon;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float grad = load3(i);
    float m = load1(i) * u_beta1 + grad * u_one_minus_beta1;
    float decayed = load2(i) * u_beta2;
    float g = abs(grad);
    float u = (isnan(decayed) || isnan(g)) ? NAN : max(decayed, g);
    store0(i, u_scale * (m / (u + u_epsilon)) + value);
    store1(i, m);
    store2(i, u);
}
