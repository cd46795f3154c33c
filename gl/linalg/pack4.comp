// Packs a batched, strided matrix X (u_rows x u_cols, float or int) into an
// RGBA32F/RGBA32I texture of 4-wide texels along its columns:
//   packed[u_dst_offset + (b * u_rows_out + r) * u_cols_q + q] = X_b[r][4q .. 4q+3],
// zero past u_cols and in the padding rows u_rows .. u_rows_out-1, so a product
// over padded K adds only exact zeros. X_b[r][c] is
//   in0[batch_offset(b) + r * u_row_stride + c * u_col_stride],
// where batch_offset broadcasts through stride-0 axes: transposes and batch
// broadcasting are only strides. One invocation per packed texel.
#include "common.glsl"

#if defined(IN0_FLOAT)
layout(rgba32f, binding = 0) writeonly uniform highp image2D dst;
#define VEC4 vec4
#else
layout(rgba32i, binding = 0) writeonly uniform highp iimage2D dst;
#define VEC4 ivec4
#endif

uniform int u_size;
uniform int u_dst_offset;
uniform int u_rows;
uniform int u_rows_out;
uniform int u_cols;
uniform int u_cols_q;
uniform int u_row_stride;
uniform int u_col_stride;
uniform int u_batch_rank;
uniform int u_batch_shape[MAX_RANK];
uniform int u_batch_strides[MAX_RANK];

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int q = i % u_cols_q;
    int r = (i / u_cols_q) % u_rows_out;
    int b = i / (u_cols_q * u_rows_out);
    int offset = 0;
    for (int d = u_batch_rank - 1; d >= 0; --d) {
        offset += (b % u_batch_shape[d]) * u_batch_strides[d];
        b /= u_batch_shape[d];
    }
    VEC4 v = VEC4(0);
    if (r < u_rows) {
        int c0 = q * 4;
        offset += r * u_row_stride + c0 * u_col_stride;
        for (int j = 0; j < 4 && c0 + j < u_cols; ++j) {
            v[j] = load0(offset + j * u_col_stride);
        }
    }
    imageStore(dst, texel(u_dst_offset + i), v);
}
