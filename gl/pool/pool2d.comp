// 2-D max or average pooling (OP_MaxPool / OP_AvgPool), channels last:
// x [batch, in_h, in_w, c] -> out [batch, out_h, out_w, c]. Windows skip the
// padding: the average divides by the number of input values in the window
// (NaN for a window wholly in the padding) and the max ignores NaN (a strict
// comparison; -Infinity when nothing compares), as tfjs does.
#include "common.glsl"

uniform int u_size;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_c;
uniform int u_out_h;
uniform int u_out_w;
uniform int u_f_h;
uniform int u_f_w;
uniform int u_stride_h;
uniform int u_stride_w;
uniform int u_dil_h;
uniform int u_dil_w;
uniform int u_pad_top;
uniform int u_pad_left;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_c;
    int pixel = i / u_c;
    int ox = pixel % u_out_w;
    int oy = (pixel / u_out_w) % u_out_h;
    int b = pixel / (u_out_w * u_out_h);
    float best = -INF;
    float sum = 0.0;
    int count = 0;
    for (int fy = 0; fy < u_f_h; ++fy) {
        int iy = oy * u_stride_h - u_pad_top + fy * u_dil_h;
        if (iy < 0 || iy >= u_in_h) continue;
        for (int fx = 0; fx < u_f_w; ++fx) {
            int ix = ox * u_stride_w - u_pad_left + fx * u_dil_w;
            if (ix < 0 || ix >= u_in_w) continue;
            float v = float(load0(((b * u_in_h + iy) * u_in_w + ix) * u_c + c));
            best = v > best ? v : best;
            sum += v;
            ++count;
        }
    }
#if defined(OP_MaxPool)
    store0(i, best);
#else
    store0(i, count > 0 ? sum / float(count) : NAN);
#endif
}
