// Copies one input, seen as rows of u_inner values, into columns
// [u_offset, u_offset + u_inner) of an output with rows of u_out_inner values.
#include "common.glsl"

uniform int u_size;
uniform int u_inner;
uniform int u_out_inner;
uniform int u_offset;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int row = i / u_inner;
    store0(row * u_out_inner + u_offset + (i - row * u_inner), load0(i));
}
