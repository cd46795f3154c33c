// GatherV2: x seen as [batch, outer, u_dim, u_inner], indices as
// [batch, u_count] and the output as [batch, outer, u_count, u_inner];
// out (b, o, j, k) = x (b, o, indices[b, j], k), or 0 when the index is out of
// range. batchDims 0 is batch 1 (u_outer then spans every leading axis).
#include "common.glsl"

uniform int u_size;
uniform int u_outer;
uniform int u_dim;
uniform int u_inner;
uniform int u_count;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int k = i % u_inner;
    int j = (i / u_inner) % u_count;
    int row = i / (u_inner * u_count);
    int o = row % u_outer;
    int b = row / u_outer;
    int index = int(load1(b * u_count + j));
    bool inside = index >= 0 && index < u_dim;
    store0(i, inside ? OUT0_T(load0(((b * u_outer + o) * u_dim + index) * u_inner + k))
                     : OUT0_T(0));
}
