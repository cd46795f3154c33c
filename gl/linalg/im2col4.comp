// im2col straight into pack4.comp's layout: row r of A is output position
// (b, od, oh, ow) of a channels-last convolution, column k = ((fd * u_f_h +
// fh) * u_f_w + fw) * u_in_c + c is filter tap (fd, fh, fw) of input channel
// c, so A (u_rows x u_k) times the filter seen as u_k x out-channels is the
// output. Texel i holds 4 columns of one row:
//   packed[u_dst_offset + r * u_cols_q + q] = A[r][4q .. 4q+3],
// zero past u_k and where a tap falls in the padding. With TRANSPOSED it
// packs A's transpose instead (row k holds 4 positions per texel; A^T times
// dy is the filter's gradient). 2-D runs as depth 1.
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
uniform int u_k;
uniform int u_rows;
uniform int u_cols_q;
uniform int u_in_c;
uniform int u_in_d, u_in_h, u_in_w;
uniform int u_out_d, u_out_h, u_out_w;
uniform int u_f_d, u_f_h, u_f_w;
uniform int u_stride_d, u_stride_h, u_stride_w;
uniform int u_dil_d, u_dil_h, u_dil_w;
uniform int u_pad_d, u_pad_h, u_pad_w;

// A[r][k], 0 in the padding
IN0_T window(int r, int k) {
    int ow = r % u_out_w;
    int oh = (r / u_out_w) % u_out_h;
    int od = (r / (u_out_w * u_out_h)) % u_out_d;
    int b = r / (u_out_w * u_out_h * u_out_d);
    int c = k % u_in_c;
    int tap = k / u_in_c;
    int fw = tap % u_f_w;
    int fh = (tap / u_f_w) % u_f_h;
    int fd = tap / (u_f_w * u_f_h);
    int id = od * u_stride_d - u_pad_d + fd * u_dil_d;
    int ih = oh * u_stride_h - u_pad_h + fh * u_dil_h;
    int iw = ow * u_stride_w - u_pad_w + fw * u_dil_w;
    if (id < 0 || id >= u_in_d || ih < 0 || ih >= u_in_h || iw < 0 || iw >= u_in_w) {
        return IN0_T(0);
    }
    return load0((((b * u_in_d + id) * u_in_h + ih) * u_in_w + iw) * u_in_c + c);
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int q = i % u_cols_q;
    int row = i / u_cols_q;
    VEC4 v = VEC4(0);
    for (int j = 0; j < 4; ++j) {
#if defined(TRANSPOSED)
        if (q * 4 + j >= u_rows) break;
        v[j] = window(q * 4 + j, row);
#else
        if (q * 4 + j >= u_k) break;
        v[j] = window(row, q * 4 + j);
#endif
    }
    imageStore(dst, texel(u_dst_offset + i), v);
}
