// CropAndResize, channels last: image [batch, u_in_h, u_in_w, u_c] (in0),
// boxes [boxes, 4] as (y1, x1, y2, x2) in [0, 1] image units (in1), box image
// indices (in2) -> [boxes, u_crop_h, u_crop_w, u_c] in float32. Coordinates and
// interpolation run in double, as tfjs computes them in JavaScript numbers, so
// a sample that lands on a pixel (or, for NEAREST, half way) picks the same one.
// A sample outside the image gives u_extrapolation; a box naming an image
// outside the batch gives 0.
#include "common.glsl"

uniform int u_size;
uniform int u_batch;
uniform int u_in_h;
uniform int u_in_w;
uniform int u_c;
uniform int u_crop_h;
uniform int u_crop_w;
uniform float u_extrapolation;

// The source coordinate of crop position i along an axis of `size` pixels.
double position(double start, double end, int size, int crop, int i) {
    precise double last = double(size - 1);
    if (crop > 1) {
        precise double step = (end - start) * last / double(crop - 1);
        precise double p = start * last + double(i) * step;
        return p;
    }
    precise double centre = 0.5LF * (start + end) * last;
    return centre;
}

double pixel(int b, int y, int x, int c) {
    return double(load0(((b * u_in_h + y) * u_in_w + x) * u_c + c));
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int c = i % u_c;
    int p = i / u_c;
    int ox = p % u_crop_w;
    int oy = (p / u_crop_w) % u_crop_h;
    int box = p / (u_crop_w * u_crop_h);
    int b = int(load2(box));
    if (b < 0 || b >= u_batch) {
        store0(i, 0.0);
        return;
    }
    double y = position(double(load1(box * 4)), double(load1(box * 4 + 2)), u_in_h, u_crop_h, oy);
    double x = position(double(load1(box * 4 + 1)), double(load1(box * 4 + 3)), u_in_w, u_crop_w,
                        ox);
    if (!(y >= 0.0LF && y <= double(u_in_h - 1) && x >= 0.0LF && x <= double(u_in_w - 1))) {
        store0(i, u_extrapolation);
        return;
    }
#if defined(NEAREST)
    // JavaScript's Math.round: halves go up.
    store0(i, float(pixel(b, int(floor(y + 0.5LF)), int(floor(x + 0.5LF)), c)));
#else
    int top = int(floor(y)), bottom = int(ceil(y));
    int left = int(floor(x)), right = int(ceil(x));
    precise double fy = y - double(top);
    precise double fx = x - double(left);
    double tl = pixel(b, top, left, c), bl = pixel(b, bottom, left, c);
    precise double upper = tl + (pixel(b, top, right, c) - tl) * fx;
    precise double lower = bl + (pixel(b, bottom, right, c) - bl) * fx;
    precise double value = upper + (lower - upper) * fy;
    store0(i, float(value));
#endif
}
