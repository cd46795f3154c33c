// TopK for long rows, as bitonic networks over each row's indices (rows of
// u_width, a power of two; indices from u_n up are padding that sorts last),
// ordered by tfjs' order of their values in in0 (rows of u_n): larger first,
// NaN above everything, ties by the lower index. Every invocation writes its
// own position of out0, reading the previous pass from in1.
//   default: one compare-exchange step: position p pairs with p ^ u_stride;
//     in blocks of u_block positions whose bit u_block is clear the better of
//     the two goes first, otherwise last. INIT: the indices are the positions.
//   HALVE: in1 holds rows of 2 u_width, blocks of u_block sorted best first
//     and worst first in turn; out0 block b keeps, place by place, the better
//     of in1 blocks 2b and 2b + 1: the best u_block of the two, as a bitonic
//     sequence for the steps that sort it.
#include "common.glsl"
#include "math.glsl"

uniform int u_size;
uniform int u_n;
uniform int u_width;
uniform int u_block;
uniform int u_stride;

// Whether index a's value comes before index b's, both in row `start`.
bool ahead(int start, int a, int b) {
    if (a >= u_n) return false;
    if (b >= u_n) return true;
    IN0_T x = load0(start + a), y = load0(start + b);
    if (isnan_(x)) return !isnan_(y) || a < b;
    if (isnan_(y)) return false;
    return x > y || (x == y && a < b);
}

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int r = i / u_width;
    int p = i - r * u_width;
#if defined(HALVE)
    int j = p % u_block;
    int from = r * 2 * u_width + 2 * (p - j) + j;
    int mine = load1(from), other = load1(from + u_block);
    store0(i, ahead(r * u_n, mine, other) ? mine : other);
#else
    int q = p ^ u_stride;
#if defined(INIT)
    int mine = p, other = q;
#else
    int mine = load1(i), other = load1(r * u_width + q);
#endif
    bool better = ahead(r * u_n, mine, other);
    bool best_first = (p & u_block) == 0;
    // the lower position of the pair takes the better index when best_first
    bool keep = (p < q) == best_first ? better : !better;
    store0(i, keep ? mine : other);
#endif
}
