// Multinomial: per row r of u_events probabilities (in0) and draw d = in1[r, s]
// (a uniform number in [0, 1), rounded down to float32), the first event e
// whose cumulative probability (summed in float32, in order, and made
// non-decreasing; NaN from there on counts as above every draw) exceeds d;
// the last event when none does. The same choice as the cpu kernel's search.
#include "common.glsl"

uniform int u_size;
uniform int u_samples;
uniform int u_events;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int r = i / u_samples;
    float d = load1(i);
    int start = r * u_events;
    precise float sum = 0.0;
    float highest = -INF;
    int chosen = u_events - 1;
    for (int e = 0; e < u_events - 1; ++e) {
        sum += float(load0(start + e));
        highest = (isnan(sum) || sum > highest) ? sum : highest;
        if (isnan(highest) || d < highest) {
            chosen = e;
            break;
        }
    }
    store0(i, chosen);
}
