// ArgMax / ArgMin over rows of u_inner values: the first index of the largest
// (smallest) value; NaN never compares, as in tfjs.
#include "common.glsl"

uniform int u_size;
uniform int u_inner;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int start = i * u_inner;
    IN0_T best = load0(start);
    int index = 0;
    for (int j = 1; j < u_inner; ++j) {
        IN0_T x = load0(start + j);
#if defined(OP_ArgMax)
        if (x > best) {
#else
        if (x < best) {
#endif
            best = x;
            index = j;
        }
    }
    store0(i, index);
}
