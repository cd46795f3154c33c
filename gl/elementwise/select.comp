// out[i] = in0[ic] != 0 ? in1[ia] : in2[ib], the three broadcasting to the
// output's shape. C_MODE / A_MODE / B_MODE as in binary.comp: 0 same shape,
// 1 scalar, 2 broadcast through the per-axis strides.
#include "common.glsl"

uniform int u_size;
uniform int u_rank;
uniform int u_shape[MAX_RANK];
uniform int u_stride_c[MAX_RANK];
uniform int u_stride_a[MAX_RANK];
uniform int u_stride_b[MAX_RANK];

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int ic = 0, ia = 0, ib = 0;
    int rest = i;
    for (int d = u_rank - 1; d >= 0; --d) {
        int c = rest % u_shape[d];
        rest /= u_shape[d];
        ic += c * u_stride_c[d];
        ia += c * u_stride_a[d];
        ib += c * u_stride_b[d];
    }
    if (C_MODE != 2) ic = C_MODE == 0 ? i : 0;
    if (A_MODE != 2) ia = A_MODE == 0 ? i : 0;
    if (B_MODE != 2) ib = B_MODE == 0 ? i : 0;
    store0(i, load0(ic) != 0 ? OUT0_T(load1(ia)) : OUT0_T(load2(ib)));
}
