// GatherNd: indices [rows, u_depth] pick slices of u_slice values from params;
// out[r * u_slice + k] = params[sum_j indices[r, j] * u_strides[j] + k], or 0
// for an index outside the params.
#include "common.glsl"

uniform int u_size;
uniform int u_depth;
uniform int u_slice;
uniform int u_strides[MAX_RANK];
uniform int u_dims[MAX_RANK];

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int r = i / u_slice;
    int src = i - r * u_slice;
    bool inside = true;
    for (int j = 0; j < u_depth; ++j) {
        int index = int(load1(r * u_depth + j));
        inside = inside && index >= 0 && index < u_dims[j];
        src += index * u_strides[j];
    }
    store0(i, inside ? OUT0_T(load0(src)) : OUT0_T(0));
}
