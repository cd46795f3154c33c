// ApplyAdagrad (in: value, accum, grad): accum' = accum + grad^2;
// value' = value - lr * grad / sqrt(accum' + epsilon).
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_neg_lr;
uniform float u_epsilon;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float grad = load2(i);
    float accum = load1(i) + grad * grad;
    float step = grad / sqrt(accum + u_epsilon);
    store0(i, step * u_neg_lr + value);
    store1(i, accum);
}
