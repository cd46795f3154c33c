// out[i] = OP(in0[i]) for one-input elementwise kernels (see unary_ops.glsl).
#include "common.glsl"

uniform int u_size;
uniform float u_alpha;
uniform float u_beta;

#include "unary_ops.glsl"

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    X_T x = X_T(load0(i));
    store0(i, OP(x));
}
