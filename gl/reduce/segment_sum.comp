// UnsortedSegmentSum: x seen as [u_rows, u_inner]; out[s, k] sums x[i, k] over
// the rows i whose segment id is s (ids outside [0, u_segments) are dropped).
#include "common.glsl"

uniform int u_size;
uniform int u_rows;
uniform int u_inner;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int s = i / u_inner;
    int k = i - s * u_inner;
    OUT0_T acc = OUT0_T(0);
    for (int row = 0; row < u_rows; ++row) {
        if (int(load1(row)) == s) acc += OUT0_T(load0(row * u_inner + k));
    }
    store0(i, acc);
}
