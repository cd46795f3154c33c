// Local response normalization over the last axis (rows of u_depth channels):
// n_c = u_bias + u_alpha * sum of x^2 over channels [c - r, c + r] in the row,
// LRN: y_c = x_c * n_c^-beta. GRAD (in0 x, in1 y, in2 dy):
// dx_k = dy_k * n_k^-beta - 2 alpha beta x_k * sum over o near k of dy_o y_o / n_o.
#include "common.glsl"
#include "math.glsl"

uniform int u_size;
uniform int u_depth;
uniform int u_radius;
uniform float u_bias;
uniform float u_alpha;
uniform float u_beta;

float norm(int row, int c) {
    float sum = 0.0;
    for (int j = max(0, c - u_radius); j <= min(u_depth - 1, c + u_radius); ++j) {
        float v = load0(row + j);
        sum += v * v;
    }
    return u_bias + u_alpha * sum;
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_depth;
    int row = i - c;
    float n = norm(row, c);
#if defined(GRAD)
    float spread = 0.0;
    for (int o = max(0, c - u_radius); o <= min(u_depth - 1, c + u_radius); ++o) {
        spread += load2(row + o) * load1(row + o) / norm(row, o);
    }
    store0(i, load2(i) * pow_(n, -u_beta) - 2.0 * u_alpha * u_beta * load0(i) * spread);
#else
    store0(i, load0(i) * pow_(n, -u_beta));
#endif
}
