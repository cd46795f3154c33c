// 2-D or 3-D max or average pooling (OP_MaxPool / OP_AvgPool), channels last,
// 2-D as depth 1: x [batch, in_d, in_h, in_w, c] -> out [batch, out_d, out_h,
// out_w, c]. Windows skip the padding: the average divides by the number of
// input values in the window (NaN for a window wholly in the padding) and the
// max ignores NaN (a strict comparison; -Infinity when nothing compares, 0 for
// int32), as tfjs does. ARGMAX (with OP_MaxPool) stores instead the flat index
// of the window's largest value (-1 when none), less b * (one batch entry's
// size) unless u_include_batch: the first one in window order, or the last one
// with LAST_WINS (tfjs' 3-D pooling compares with >=).
#include "common.glsl"

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
uniform int u_include_batch;

#if defined(LAST_WINS)
#define BETTER(v, best) ((v) >= (best))
#else
#define BETTER(v, best) ((v) > (best))
#endif

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_c;
    int pixel = i / u_c;
    int ox = pixel % u_out_w;
    int oy = (pixel / u_out_w) % u_out_h;
    int oz = (pixel / (u_out_w * u_out_h)) % u_out_d;
    int b = pixel / (u_out_w * u_out_h * u_out_d);
    float best = -INF;
    int best_at = -1;
    float sum = 0.0;
    int count = 0;
    for (int fz = 0; fz < u_f_d; ++fz) {
        int iz = oz * u_stride_d - u_pad_front + fz * u_dil_d;
        if (iz < 0 || iz >= u_in_d) continue;
        for (int fy = 0; fy < u_f_h; ++fy) {
            int iy = oy * u_stride_h - u_pad_top + fy * u_dil_h;
            if (iy < 0 || iy >= u_in_h) continue;
            for (int fx = 0; fx < u_f_w; ++fx) {
                int ix = ox * u_stride_w - u_pad_left + fx * u_dil_w;
                if (ix < 0 || ix >= u_in_w) continue;
                int at = (((b * u_in_d + iz) * u_in_h + iy) * u_in_w + ix) * u_c + c;
                float v = float(load0(at));
                if (BETTER(v, best)) {
                    best = v;
                    best_at = at;
                }
                sum += v;
                ++count;
            }
        }
    }
#if defined(ARGMAX)
    int entry = u_in_d * u_in_h * u_in_w * u_c;
    store0(i, best_at < 0 || u_include_batch != 0 ? best_at : best_at - b * entry);
#elif defined(OP_MaxPool) && defined(OUT0_INT)
    store0(i, best == -INF ? 0.0 : best);
#elif defined(OP_MaxPool)
    store0(i, best);
#else
    store0(i, count > 0 ? sum / float(count) : NAN);
#endif
}
