// Softmax (or LogSoftmax with LOG) over rows of u_inner values, one row per
// invocation: exp(x - max) / sum, with NaN anywhere in a row giving NaN.
#include "common.glsl"
#include "math.glsl"

uniform int u_size;
uniform int u_inner;

void main() {
    int r = GLOBAL_ID;
    if (r >= u_size) return;
    int start = r * u_inner;
    float m = -INF;
    for (int j = 0; j < u_inner; ++j) {
        float x = load0(start + j);
        m = (isnan(x) || x > m) ? x : m;
    }
    float sum = 0.0;
    for (int j = 0; j < u_inner; ++j) sum += exp(load0(start + j) - m);
#if defined(LOG)
    float log_sum = log_(sum);
    for (int j = 0; j < u_inner; ++j) store0(start + j, (load0(start + j) - m) - log_sum);
#else
    for (int j = 0; j < u_inner; ++j) store0(start + j, exp(load0(start + j) - m) / sum);
#endif
}
