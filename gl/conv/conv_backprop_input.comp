// The input gradient of conv.comp (channels last, 2-D as depth 1):
// dx[b, iz, iy, ix, ic] sums dy[b, oz, oy, ox, oc] * filter[fz, fy, fx, ic, oc]
// over the taps whose window put filter cell (fz, fy, fx) on (iz, iy, ix).
// DEPTHWISE: oc = ic * u_mult + q. An invocation computes LANES consecutive
// input channels of one cell (u_size invocations): four with LANES4 (not
// DEPTHWISE), so that each dy value is fetched once for four channels, else one.
#include "common.glsl"

uniform int u_size;
uniform int u_in_d;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_in_c;
uniform int u_out_d;
uniform int u_out_h;
uniform int u_out_w;
uniform int u_out_c;
uniform int u_f_d;
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
uniform int u_w_last;  // the filter's last flat index

#if defined(LANES4)
#define LANES 4
#else
#define LANES 1
#endif

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int per_cell = (u_in_c + LANES - 1) / LANES;
    int ic = (i % per_cell) * LANES;
    int pixel = i / per_cell;
    int ix = pixel % u_in_w;
    int iy = (pixel / u_in_w) % u_in_h;
    int iz = (pixel / (u_in_w * u_in_h)) % u_in_d;
    int b = pixel / (u_in_w * u_in_h * u_in_d);
    vec4 acc = vec4(0.0);
    for (int fz = 0; fz < u_f_d; ++fz) {
        int tz = iz + u_pad_front - fz * u_dil_d;
        if (tz < 0 || tz % u_stride_d != 0 || tz / u_stride_d >= u_out_d) continue;
        int oz = tz / u_stride_d;
        for (int fy = 0; fy < u_f_h; ++fy) {
            int ty = iy + u_pad_top - fy * u_dil_h;
            if (ty < 0 || ty % u_stride_h != 0 || ty / u_stride_h >= u_out_h) continue;
            int oy = ty / u_stride_h;
            for (int fx = 0; fx < u_f_w; ++fx) {
                int tx = ix + u_pad_left - fx * u_dil_w;
                if (tx < 0 || tx % u_stride_w != 0 || tx / u_stride_w >= u_out_w) continue;
                int dyb = (((b * u_out_d + oz) * u_out_h + oy) * u_out_w + tx / u_stride_w)
                        * u_out_c;
                int tap = (fz * u_f_h + fy) * u_f_w + fx;
#if defined(DEPTHWISE)
                int wb = (tap * u_in_c + ic) * u_mult;
                for (int q = 0; q < u_mult; ++q) {
                    acc.x += float(load0(dyb + ic * u_mult + q)) * float(load1(wb + q));
                }
#else
                int wb = (tap * u_in_c + ic) * u_out_c;
                for (int oc = 0; oc < u_out_c; ++oc) {
                    int wi = wb + oc;
#if LANES == 4
                    // lanes past u_in_c read a neighbour (clamped into the
                    // filter) and are not stored
                    acc += float(load0(dyb + oc))
                         * vec4(load1(wi), load1(min(wi + u_out_c, u_w_last)),
                                load1(min(wi + 2 * u_out_c, u_w_last)),
                                load1(min(wi + 3 * u_out_c, u_w_last)));
#else
                    acc.x += float(load0(dyb + oc)) * float(load1(wi));
#endif
                }
#endif
            }
        }
    }
    int at = pixel * u_in_c + ic;
    store0(at, acc.x);
#if LANES == 4
    if (ic + 1 < u_in_c) store0(at + 1, acc.y);
    if (ic + 2 < u_in_c) store0(at + 2, acc.z);
    if (ic + 3 < u_in_c) store0(at + 3, acc.w);
#endif
}
