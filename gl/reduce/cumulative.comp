// Cumsum / Cumprod (OP_Cumsum / OP_Cumprod) along rows of u_inner values, one
// row per invocation; EXCLUSIVE leaves each value out of its own result,
// REVERSE runs from the end of the row.
#include "common.glsl"

uniform int u_size;
uniform int u_inner;

void main() {
    int r = GLOBAL_ID;
    if (r >= u_size) return;
    int start = r * u_inner;
#if defined(OP_Cumsum)
    OUT0_T acc = OUT0_T(0);
#else
    OUT0_T acc = OUT0_T(1);
#endif
    for (int j = 0; j < u_inner; ++j) {
#if defined(REVERSE)
        int at = start + u_inner - 1 - j;
#else
        int at = start + j;
#endif
        OUT0_T x = OUT0_T(load0(at));
#if defined(EXCLUSIVE)
        store0(at, acc);
#endif
#if defined(OP_Cumsum)
        acc += x;
#else
        acc *= x;
#endif
#if !defined(EXCLUSIVE)
        store0(at, acc);
#endif
    }
}
