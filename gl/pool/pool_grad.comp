// Gradients of pool.comp (channels last, 2-D as depth 1): dx[b, iz, iy, ix, c]
// gathers dy from every window that covers (iz, iy, ix). OP_AvgPool: dy / (the
// window's count of input values); OP_MaxPool: dy where in1, the flat index of
// each window's largest value (pool.comp's ARGMAX pass; -1 for none), is this
// cell. RELU_MASKED (with OP_MaxPool): times step(x), x (in2) being the
// pooled input, as the gradient of a relu feeding the pool would mask it.
#include "common.glsl"

#if defined(RELU_MASKED) && !defined(IN2_FLOAT) && !defined(IN2_INT)
layout(binding = 2) uniform highp sampler2D in2;
#endif

uniform int u_size;
uniform int u_in_d;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_c;
uniform int u_out_d;
uniform int u_out_h;
uniform int u_out_w;
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

// How many cells of window (oz, oy, ox) lie inside the input.
int window_count(int oz, int oy, int ox) {
    int count = 0;
    for (int fz = 0; fz < u_f_d; ++fz) {
        int iz = oz * u_stride_d - u_pad_front + fz * u_dil_d;
        if (iz < 0 || iz >= u_in_d) continue;
        for (int fy = 0; fy < u_f_h; ++fy) {
            int iy = oy * u_stride_h - u_pad_top + fy * u_dil_h;
            if (iy < 0 || iy >= u_in_h) continue;
            for (int fx = 0; fx < u_f_w; ++fx) {
                int ix = ox * u_stride_w - u_pad_left + fx * u_dil_w;
                if (ix >= 0 && ix < u_in_w) ++count;
            }
        }
    }
    return count;
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_c;
    int pixel = i / u_c;
    int ix = pixel % u_in_w;
    int iy = (pixel / u_in_w) % u_in_h;
    int iz = (pixel / (u_in_w * u_in_h)) % u_in_d;
    int b = pixel / (u_in_w * u_in_h * u_in_d);
    float acc = 0.0;
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
                int ox = tx / u_stride_w;
                int at = (((b * u_out_d + oz) * u_out_h + oy) * u_out_w + ox) * u_c + c;
#if defined(OP_MaxPool)
                if (int(load1(at)) == i) acc += float(load0(at));
#else
                acc += float(load0(at)) / float(window_count(oz, oy, ox));
#endif
            }
        }
    }
#if defined(RELU_MASKED)
    // tfjs' step: NaN stays NaN, then 1 above 0, else 0
    float x = float(load2(i));
    acc *= isnan(x) ? x : (x > 0.0 ? 1.0 : 0.0);
#endif
    store0(i, acc);
}
