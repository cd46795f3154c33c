// MatrixBandPart: x seen as [batch, u_m, u_n]; values outside the band
// (more than u_lower below or u_upper above the diagonal; negative keeps all)
// become 0.
#include "common.glsl"

uniform int u_size;
uniform int u_m;
uniform int u_n;
uniform int u_lower;
uniform int u_upper;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int col = i % u_n;
    int row = (i / u_n) % u_m;
    bool inside = (u_lower < 0 || row - col <= u_lower) && (u_upper < 0 || col - row <= u_upper);
    store0(i, inside ? OUT0_T(load0(i)) : OUT0_T(0));
}
