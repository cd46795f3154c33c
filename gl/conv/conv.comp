// 2-D or 3-D convolution, channels last: x [batch, in_d, in_h, in_w, in_c],
// filter [f_d, f_h, f_w, in_c, out_c] (DEPTHWISE: [f_d, f_h, f_w, in_c, u_mult],
// out_c = in_c * u_mult), out [batch, out_d, out_h, out_w, out_c]; 2-D data
// runs as depth 1. One output value per invocation.
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

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int oc = i % u_out_c;
    int pixel = i / u_out_c;
    int ox = pixel % u_out_w;
    int oy = (pixel / u_out_w) % u_out_h;
    int oz = (pixel / (u_out_w * u_out_h)) % u_out_d;
    int b = pixel / (u_out_w * u_out_h * u_out_d);
    float acc = 0.0;
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
                acc += float(load0(xb + ic))
                    * float(load1((tap * u_in_c + ic) * u_mult + oc % u_mult));
#else
                int wb = tap * u_in_c * u_out_c + oc;
                for (int ic = 0; ic < u_in_c; ++ic) {
                    acc += float(load0(xb + ic)) * float(load1(wb + ic * u_out_c));
                }
#endif
            }
        }
    }
    store0(i, acc);
}
