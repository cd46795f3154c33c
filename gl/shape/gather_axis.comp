// GatherV2 with batchDims 0: x seen as [outer, u_dim, u_inner], output as
// [outer, u_count, u_inner]; out (o, j, k) = x (o, indices[j], k), or 0 when
// the index is out of range.
#include "common.glsl"

uniform int u_size;
uniform int u_dim;
uniform int u_inner;
uniform int u_count;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int k = i % u_inner;
    int j = (i / u_inner) % u_count;
    int o = i / (u_inner * u_count);
    int index = int(load1(j));
    bool inside = index >= 0 && index < u_dim;
    store0(i, inside ? OUT0_T(load0((o * u_dim + index) * u_inner + k)) : OUT0_T(0));
}
