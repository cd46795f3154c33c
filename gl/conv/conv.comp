// 2-D or 3-D convolution, channels last: x [batch, in_d, in_h, in_w, in_c],
// filter [f_d, f_h, f_w, in_c, out_c] (DEPTHWISE: [f_d, f_h, f_w, in_c, u_mult],
// out_c = in_c * u_mult), out [batch, out_d, out_h, out_w, out_c]; 2-D data
// runs as depth 1. An invocation computes LANES consecutive output channels of
// one output cell (u_size invocations): four with LANES4 (not DEPTHWISE), so
// that each input value is fetched once for four channels, else one.
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
    int per_cell = (u_out_c + LANES - 1) / LANES;
    int oc = (i % per_cell) * LANES;
    int pixel = i / per_cell;
    int ox = pixel % u_out_w;
    int oy = (pixel / u_out_w) % u_out_h;
    int oz = (pixel / (u_out_w * u_out_h)) % u_out_d;
    int b = pixel / (u_out_w * u_out_h * u_out_d);
    vec4 acc = vec4(0.0);
    for (int fz = 0; fz < u_f_d; ++fz) {
        int iz = oz * u_stride_d - u_pad_front + fz * u_dil_d;
        if (iz < 0 || iz >= u_in_d) continue;
        for (int fy = 0; fy < u_f_h; ++fy) {
            int iy = oy * u_stride_h - u_pad_top + fy * u_dil_h;
            if (iy < 0 || iy >= u_in_h) continue;
            for (int fx = 0; fx < u_f_w; ++fx) {
                int ix = ox * u_stride_w - u_pad_left + fx * u_dil_w;
                if (ix < 0 || ix >= u_in_w) continue;
                int xb = (((b * u_in_d + iz) * u_in_h + iy) * u_in_w + ix) * u_in_c;
                int tap = (fz * u_f_h + fy) * u_f_w + fx;
#if defined(DEPTHWISE)
                int ic = oc / u_mult;
                acc.x += float(load0(xb + ic))
                    * float(load1((tap * u_in_c + ic) * u_mult + oc % u_mult));
#else
                int wb = tap * u_in_c * u_out_c + oc;
                for (int ic = 0; ic < u_in_c; ++ic) {
                    int wi = wb + ic * u_out_c;
#if LANES == 4
                    // lanes past u_out_c read a neighbour (clamped into the
                    // filter) and are not stored
                    acc += float(load0(xb + ic))
                         * vec4(load1(wi), load1(min(wi + 1, u_w_last)),
                                load1(min(wi + 2, u_w_last)), load1(min(wi + 3, u_w_last)));
#else
                    acc.x += float(load0(xb + ic)) * float(load1(wi));
#endif
                }
#endif
            }
        }
    }
    int at = pixel * u_out_c + oc;
    store0(at, acc.x);
#if LANES == 4
    if (oc + 1 < u_out_c) store0(at + 1, acc.y);
    if (oc + 2 < u_out_c) store0(at + 2, acc.z);
    if (oc + 3 < u_out_c) store0(at + 3, acc.w);
#endif
}
