// TopK, sorted: over rows of u_n values (in0), the value at (r, j) goes to
// place rank(j) of its row's u_k indices (out0, int) when that rank is below
// u_k. The order is tfjs': larger first, NaN above everything, ties (also -0
// and 0) by the lower index. The ranks of a row are a permutation, so each
// place is written once. The count stops at u_k: a value outside the top k
// leaves as soon as k values are found ahead of it.
#include "common.glsl"
#include "math.glsl"

uniform int u_size;
uniform int u_n;
uniform int u_k;

// Whether value a at index ia comes before value b at index ib.
bool ahead(IN0_T a, int ia, IN0_T b, int ib) {
    if (isnan_(a)) return !isnan_(b) || ia < ib;
    if (isnan_(b)) return false;
    return a > b || (a == b && ia < ib);
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int j = i % u_n;
    int start = i - j;
    IN0_T v = load0(i);
    int rank = 0;
    for (int q = 0; q < u_n && rank < u_k; ++q) {
        if (ahead(load0(start + q), q, v, j)) ++rank;
    }
    if (rank < u_k) store0((i / u_n) * u_k + rank, j);
}
