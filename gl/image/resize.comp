// ResizeBilinear (BILINEAR) and ResizeNearestNeighbor, channels last:
// images [batch, in_h, in_w, c] -> [batch, out_h, out_w, c]. The source taps
// per output row and column come precomputed (in float64 on the host, as tfjs
// computes them): in1 holds the int indices, in2 the bilinear weights.
//   BILINEAR: in1 = [top(out_h), bottom(out_h), left(out_w), right(out_w)],
//             in2 = [row weight(out_h), column weight(out_w)]
//   nearest:  in1 = [row(out_h), column(out_w)]
#include "common.glsl"

uniform int u_size;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_c;
uniform int u_out_h;
uniform int u_out_w;

float pixel(int b, int y, int x, int c) {
    return float(load0(((b * u_in_h + y) * u_in_w + x) * u_c + c));
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_c;
    int p = i / u_c;
    int ox = p % u_out_w;
    int oy = (p / u_out_w) % u_out_h;
    int b = p / (u_out_w * u_out_h);
#if defined(BILINEAR)
    int top = load1(oy), bottom = load1(u_out_h + oy);
    int left = load1(2 * u_out_h + ox), right = load1(2 * u_out_h + u_out_w + ox);
    float fy = load2(oy), fx = load2(u_out_h + ox);
    float tl = pixel(b, top, left, c), bl = pixel(b, bottom, left, c);
    float upper = tl + (pixel(b, top, right, c) - tl) * fx;
    float lower = bl + (pixel(b, bottom, right, c) - bl) * fx;
    store0(i, upper + (lower - upper) * fy);
#else
    store0(i, load0(((b * u_in_h + load1(oy)) * u_in_w + load1(u_out_h + ox)) * u_c + c));
#endif
}
