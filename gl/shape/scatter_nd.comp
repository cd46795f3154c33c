// ScatterNd: out[t * u_slice + k] sums updates[r * u_slice + k] over the rows r
// whose index (indices[r, 0..u_depth)) points at slice t (bool: any of them).
// UPDATE (TensorScatterUpdate): the last such row replaces in2's value.
#include "common.glsl"

uniform int u_size;
uniform int u_rows;
uniform int u_depth;
uniform int u_slice;
uniform int u_strides[MAX_RANK];

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int t = i / u_slice;
    int k = i - t * u_slice;
#if defined(UPDATE)
    OUT0_T acc = OUT0_T(load2(i));
#else
    OUT0_T acc = OUT0_T(0);
#endif
    for (int r = 0; r < u_rows; ++r) {
        int target = 0;
        for (int j = 0; j < u_depth; ++j) target += int(load1(r * u_depth + j)) * u_strides[j];
        if (target != t) continue;
#if defined(UPDATE)
        acc = OUT0_T(load0(r * u_slice + k));
#else
        acc += OUT0_T(load0(r * u_slice + k));
#endif
    }
    store0(i, acc);
}
