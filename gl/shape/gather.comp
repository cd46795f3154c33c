// out[i] = in0[sum_d (u_begin[d] + c_d * u_step[d]) * u_in_stride[d]] where c
// are the output coordinates of i: transpose, slice, reverse, broadcast. With
// TILE a coordinate wraps modulo u_in_dim[d]; with PAD one outside
// [0, u_in_dim[d]) gives u_fill; with MIRROR it reflects back inside
// (u_mirror 0: 'reflect', the edge once; 1: 'symmetric', the edge twice).
#include "common.glsl"

uniform int u_size;
uniform int u_rank;
uniform int u_shape[MAX_RANK];
uniform int u_begin[MAX_RANK];
uniform int u_step[MAX_RANK];
uniform int u_in_stride[MAX_RANK];
uniform int u_in_dim[MAX_RANK];
uniform float u_fill;
uniform int u_mirror;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int rest = i;
    int src = 0;
    bool inside = true;
    for (int d = u_rank - 1; d >= 0; --d) {
        int c = rest % u_shape[d];
        rest /= u_shape[d];
        int ci = u_begin[d] + c * u_step[d];
#if defined(TILE)
        ci = ci % u_in_dim[d];
#endif
#if defined(MIRROR)
        if (ci < 0) ci = -ci - u_mirror;
        if (ci >= u_in_dim[d]) ci = 2 * u_in_dim[d] - 2 + u_mirror - ci;
#endif
#if defined(PAD)
        inside = inside && ci >= 0 && ci < u_in_dim[d];
#endif
        src += ci * u_in_stride[d];
    }
    store0(i, inside ? OUT0_T(load0(src)) : OUT0_T(u_fill));
}
