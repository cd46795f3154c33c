// TopK, unsorted: the k indices of each row (in0, largest value first) put in
// ascending index order, the order the cpu backend gives.
#include "common.glsl"

uniform int u_size;
uniform int u_k;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int start = i - i % u_k;
    int index = load0(i);
    int place = 0;
    for (int q = 0; q < u_k; ++q) {
        if (load0(start + q) < index) ++place;
    }
    store0(start + place, index);
}
