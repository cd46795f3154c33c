// im2col straight into pack4.comp's layout, for the convolution's products.
// Row r of A is a position (b, pd, ph, pw) and column k = ((fd * u_f_h + fh)
// * u_f_w + fw) * u_chan + c a filter tap (fd, fh, fw) of channel c of the
// channels-last source (u_src_* spatial size, u_chan channels):
// - by default the source is x and positions are output positions, reading
//   x at p * stride - pad + f * dil: A times the filter (u_k x out channels)
//   is the convolution;
// - with TRANSPOSED it packs that A's transpose (row k holds 4 positions per
//   texel): A^T times dy is the filter's gradient;
// - with GRAD_INPUT the source is dy, positions are input positions, and a
//   tap reads dy at (p + pad - f * dil) / stride where that divides exactly:
//   A times the filter with in and out channels swapped is the input's
//   gradient.
// Texel i holds 4 columns of one row (4 rows of one column if TRANSPOSED):
//   packed[u_dst_offset + line * u_cols_q + q] = A[line][4q .. 4q+3],
// zero past the end and where a tap falls outside the source. 2-D runs as
// depth 1.
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
uniform int u_chan;
uniform int u_src_d, u_src_h, u_src_w;
uniform int u_pos_d, u_pos_h, u_pos_w;
uniform int u_f_d, u_f_h, u_f_w;
uniform int u_stride_d, u_stride_h, u_stride_w;
uniform int u_dil_d, u_dil_h, u_dil_w;
uniform int u_pad_d, u_pad_h, u_pad_w;

// The source coordinate position p reads through tap f along one axis
// (outside [0, size) when there is none).
int source(int p, int f, int stride, int dil, int pad) {
#if defined(GRAD_INPUT)
    int t = p + pad - f * dil;
    if (stride == 1) return t;
    return t >= 0 && t % stride == 0 ? t / stride : -1;
#else
    return p * stride - pad + f * dil;
#endif
}

// An invocation writes RUN consecutive texels of one line: the first value's
// coordinates come from divisions, every next one advances with carries
// (llvmpipe runs integer division one lane at a time).
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
    int pw = r % u_pos_w;
    int ph = (r / u_pos_w) % u_pos_h;
    int pd = (r / (u_pos_w * u_pos_h)) % u_pos_d;
    int b = r / (u_pos_w * u_pos_h * u_pos_d);
    int c = k % u_chan;
    int tap = k / u_chan;
    int fw = tap % u_f_w;
    int fh = (tap / u_f_w) % u_f_h;
    int fd = tap / (u_f_w * u_f_h);
    int out_texel = u_dst_offset + line * u_cols_q + q0;
    for (int t = 0; t < RUN && q0 + t < u_cols_q; ++t) {
        VEC4 v = VEC4(0);
        for (int j = 0; j < 4 && 4 * t + j < count; ++j) {
            int sd = source(pd, fd, u_stride_d, u_dil_d, u_pad_d);
            int sh = source(ph, fh, u_stride_h, u_dil_h, u_pad_h);
            int sw = source(pw, fw, u_stride_w, u_dil_w, u_pad_w);
            if (sd >= 0 && sd < u_src_d && sh >= 0 && sh < u_src_h && sw >= 0 && sw < u_src_w) {
                v[j] = load0((((b * u_src_d + sd) * u_src_h + sh) * u_src_w + sw) * u_chan + c);
            }
#if defined(TRANSPOSED)
            if (++pw == u_pos_w) {
                pw = 0;
                if (++ph == u_pos_h) {
                    ph = 0;
                    if (++pd == u_pos_d) { pd = 0; ++b; }
                }
            }
#else
            if (++c == u_chan) {
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
