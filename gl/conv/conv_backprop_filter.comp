// The filter gradient of conv.comp (channels last, 2-D as depth 1):
// dw[fz, fy, fx, ic, oc] sums x[b, iz, iy, ix, ic] * dy[b, oz, oy, ox, oc] over
// every output cell, where (iz, iy, ix) is the input cell that tap (fz, fy, fx)
// of window (oz, oy, ox) reads. DEPTHWISE: the filter is
// [f_d, f_h, f_w, in_c, u_mult] and oc = ic * u_mult + q. An invocation
// computes LANES consecutive output channels of one (tap, ic) (u_size
// invocations): four with LANES4 (not DEPTHWISE), so that each x value is
// fetched once for four channels, else one.
#include "common.glsl"

uniform int u_size;
uniform int u_batch;
uniform int u_in_d;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_in_c;
uniform int u_out_d;
uniform int u_out_h;
uniform int u_out_w;
uniform int u_out_c;
uniform int u_f_h;
uniform int u_f_w;
uniform int u_stride_d;
uniform int u_stride_h;
uniform int u_stride_w;
uniform int u_dil_d;
uniform int u_dil_h;
uniform int u_dil_w;
uniform int u_pad_front;
uniform int u_pad_top;
uniform int u_pad_left;
uniform int u_mult;
uniform int u_dy_last;  // dy's last flat index

#if defined(LANES4)
#define LANES 4
#else
#define LANES 1
#endif

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
#if defined(DEPTHWISE)
    int q = i % u_mult;
    int ic = (i / u_mult) % u_in_c;
    int tap = i / (u_mult * u_in_c);
    int oc = ic * u_mult + q;
#else
    int per_row = (u_out_c + LANES - 1) / LANES;
    int oc = (i % per_row) * LANES;
    int ic = (i / per_row) % u_in_c;
    int tap = i / (per_row * u_in_c);
#endif
    int fx = tap % u_f_w;
    int fy = (tap / u_f_w) % u_f_h;
    int fz = tap / (u_f_w * u_f_h);
    vec4 acc = vec4(0.0);
    for (int b = 0; b < u_batch; ++b) {
        for (int oz = 0; oz < u_out_d; ++oz) {
            int iz = oz * u_stride_d - u_pad_front + fz * u_dil_d;
            if (iz < 0 || iz >= u_in_d) continue;
            for (int oy = 0; oy < u_out_h; ++oy) {
                int iy = oy * u_stride_h - u_pad_top + fy * u_dil_h;
                if (iy < 0 || iy >= u_in_h) continue;
                for (int ox = 0; ox < u_out_w; ++ox) {
                    int ix = ox * u_stride_w - u_pad_left + fx * u_dil_w;
                    if (ix < 0 || ix >= u_in_w) continue;
                    float xv = float(load0((((b * u_in_d + iz) * u_in_h + iy) * u_in_w
                                            + ix) * u_in_c + ic));
                    int g = (((b * u_out_d + oz) * u_out_h + oy) * u_out_w + ox) * u_out_c + oc;
#if LANES == 4
                    // lanes past u_out_c read a neighbour (clamped into dy) and
                    // are not stored
                    acc += xv * vec4(load1(g), load1(min(g + 1, u_dy_last)),
                                     load1(min(g + 2, u_dy_last)), load1(min(g + 3, u_dy_last)));
#else
                    acc.x += xv * float(load1(g));
#endif
                }
            }
        }
    }
#if defined(DEPTHWISE)
    store0(i, acc.x);
#else
    int at = (tap * u_in_c + ic) * u_out_c + oc;
    store0(at, acc.x);
#if LANES == 4
    if (oc + 1 < u_out_c) store0(at + 1, acc.y);
    if (oc + 2 < u_out_c) store0(at + 2, acc.z);
    if (oc + 3 < u_out_c) store0(at + 3, acc.w);
#endif
#endif
}
