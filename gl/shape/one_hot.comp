// out[i * u_depth + d] = indices[i] == d ? u_on : u_off.
#include "common.glsl"

uniform int u_size;
uniform int u_depth;
uniform float u_on;
uniform float u_off;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int row = i / u_depth;
    store0(i, int(load0(row)) == i - row * u_depth ? OUT0_T(u_on) : OUT0_T(u_off));
}
