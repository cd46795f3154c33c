// ApplyGradientDescent: value - lr * grad (u_neg_lr = -lr).
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_neg_lr;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
    float grad = load1(i);
    store0(i, grad * u_neg_lr + value);
}
