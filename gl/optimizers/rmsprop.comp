// ApplyRMSProp (in: value, ms, mom, grad) and, with CENTERED,
// ApplyCenteredRMSProp (in: value, mg, ms, mom, grad):
// ms' = ms * rho + grad^2 (1 - rho); mom' = mom * momentum + lr * grad / sqrt(d)
// with d = ms' + epsilon, or centered d = ms' - mg'^2 + epsilon; value' = value - mom'.
#include "common.glsl"
#include "optimizer_io.glsl"

uniform float u_lr;
uniform float u_rho;
uniform float u_one_minus_rho;
uniform float u_momentum;
uniform float u_epsilon;

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    float value = load0(i);
#if defined(CENTERED)
    float grad = load4(i);
    float ms = load2(i) * u_rho + (grad * grad) * u_one_minus_rho;
    float mg = load1(i) * u_rho + grad * u_one_minus_rho;
    float denom = sqrt((ms - mg * mg) + u_epsilon);
    float mom = load3(i) * u_momentum + (grad * u_lr) / denom;
    store1(i, mg);
    store2(i, ms);
    store3(i, mom);
#else
    float grad = load3(i);
    float ms = load1(i) * u_rho + (grad * grad) * u_one_minus_rho;
    float denom = sqrt(ms + u_epsilon);
    float mom = load2(i) * u_momentum + (grad * u_lr) / denom;
    store1(i, ms);
    store2(i, mom);
#endif
    store0(i, value - mom);
}
