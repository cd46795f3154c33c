// out[i] = OP(in0[ia], in1[ib]) with broadcasting (see binary_ops.glsl).
// A_MODE / B_MODE: 0 the input has the output's shape, 1 it is a scalar,
// 2 it broadcasts: its index comes from u_stride_a/b (0 on broadcast axes);
// two common broadcasts skip that per-axis loop: 3 the input is the output's
// trailing axes (a bias: index i % u_repeat_a/b), 4 its leading axes (index
// i / u_repeat_a/b, the size of the axes it lacks).
#include "common.glsl"
#include "binary_ops.glsl"

uniform int u_size;
uniform int u_rank;
uniform int u_shape[MAX_RANK];
uniform int u_stride_a[MAX_RANK];
uniform int u_stride_b[MAX_RANK];
uniform int u_repeat_a;
uniform int u_repeat_b;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int ia = A_MODE == 0 ? i : A_MODE == 3 ? i % u_repeat_a : A_MODE == 4 ? i / u_repeat_a : 0;
    int ib = B_MODE == 0 ? i : B_MODE == 3 ? i % u_repeat_b : B_MODE == 4 ? i / u_repeat_b : 0;
#if A_MODE == 2 || B_MODE == 2
    int rest = i;
    int sa = 0;
    int sb = 0;
    for (int d = u_rank - 1; d >= 0; --d) {
        int c = rest % u_shape[d];
        rest /= u_shape[d];
        sa += c * u_stride_a[d];
        sb += c * u_stride_b[d];
    }
    if (A_MODE == 2) ia = sa;
    if (B_MODE == 2) ib = sb;
#endif
    X_T a = X_T(load0(ia));
    X_T b = X_T(load1(ib));
    store0(i, OP(a, b));
}
