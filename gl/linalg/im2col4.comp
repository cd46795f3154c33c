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

// Texels per invocation; linalg.py sets it (the default lets the shader compile alone).
#ifndef RUN
#define RUN 16
#endif

#if defined(IN0_FLOAT)
layout(rgba32f, binding = 0) writeonly uniform highp image2D dst;
#define VEC4 vec4
#else
layout(rgba32i, binding = 0) writeonly uniform highp iimage2D dst;
#define VEC4 ivec4
#endif

uniform int u_lines;
uniform int u_runs;
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

// An invocation writes RUN consecutive texels of one line (a row of A, or
// with TRANSPOSED a row of its transpose): the first value's coordinates
// come from divisions, every next one advances with carries (llvmpipe runs
// integer division one lane at a time).
void main() {
    int i = GLOBAL_ID;
    if (i >= u_lines * u_runs) return;
    int q0 = (i % u_runs) * RUN;
    int line = i / u_runs;
#if defined(TRANSPOSED)
    int r = q0 * 4, k = line, count = u_rows - r;
#else
    int r = line, k = q0 * 4, count = u_k - k;
#endif
    int ow = r % u_out_w;
    int oh = (r / u_out_w) % u_out_h;
    int od = (r / (u_out_w * u_out_h)) % u_out_d;
    int b = r / (u_out_w * u_out_h * u_out_d);
    int c = k % u_in_c;
    int tap = k / u_in_c;
    int fw = tap % u_f_w;
    int fh = (tap / u_f_w) % u_f_h;
    int fd = tap / (u_f_w * u_f_h);
    int out_texel = u_dst_offset + line * u_cols_q + q0;
    for (int t = 0; t < RUN && q0 + t < u_cols_q; ++t) {
        VEC4 v = VEC4(0);
        for (int j = 0; j < 4 && 4 * t + j < count; ++j) {
            int id = od * u_stride_d - u_pad_d + fd * u_dil_d;
            int ih = oh * u_stride_h - u_pad_h + fh * u_dil_h;
            int iw = ow * u_stride_w - u_pad_w + fw * u_dil_w;
            if (id >= 0 && id < u_in_d && ih >= 0 && ih < u_in_h && iw >= 0 && iw < u_in_w) {
                v[j] = load0((((b * u_in_d + id) * u_in_h + ih) * u_in_w + iw) * u_in_c + c);
            }
#if defined(TRANSPOSED)
            if (++ow == u_out_w) {
                ow = 0;
                if (++oh == u_out_h) {
                    oh = 0;
                    if (++od == u_out_d) { od = 0; ++b; }
                }
            }
#else
            if (++c == u_in_c) {
                c = 0;
                if (++fw == u_f_w) {
                    fw = 0;
                    if (++fh == u_f_h) { fh = 0; ++fd; }
                }
            }
#endif
        }
        imageStore(dst, texel(out_texel + t), v);
    }
}
