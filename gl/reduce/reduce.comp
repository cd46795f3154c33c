// One reduction pass over rows of u_inner values: output (o, k) reduces the
// k-th block of u_block values of row o (u_out_inner blocks per row). Long rows
// take several passes (tfjs_py/backends/gl/kernels/reduce.py). The runner
// defines OP_<Kernel>; Mean sums and multiplies the last pass by u_scale.
// Value j of row o is at o * u_row_stride + j * u_step: (u_inner, 1) for rows
// stored contiguously, (1, columns) when the leading axes are reduced, so
// those need no transposed copy.
#include "common.glsl"
#include "math.glsl"

uniform int u_size;
uniform int u_inner;
uniform int u_block;
uniform int u_out_inner;
uniform int u_row_stride;
uniform int u_step;
uniform float u_scale;

#define ACC_T OUT0_T
#if defined(OP_Sum) || defined(OP_Mean)
#define INIT ACC_T(0)
#define STEP(acc, x) ((acc) + (x))
#elif defined(OP_Prod)
#define INIT ACC_T(1)
#define STEP(acc, x) ((acc) * (x))
#elif defined(OP_Max)
#define FROM_FIRST
#define STEP(acc, x) ((isnan_(x) || (x) > (acc)) ? (x) : (acc))
#elif defined(OP_Min)
#define FROM_FIRST
#define STEP(acc, x) ((isnan_(x) || (x) < (acc)) ? (x) : (acc))
#elif defined(OP_All)
#define INIT 1
#define STEP(acc, x) (((acc) != 0 && (x) != 0) ? 1 : 0)
#elif defined(OP_Any)
#define INIT 0
#define STEP(acc, x) (((acc) != 0 || (x) != 0) ? 1 : 0)
#endif

#if (defined(OP_Sum) || defined(OP_Mean)) && defined(OUT0_FLOAT)
#define SPLIT_SUM
#endif

#if defined(OUT0_FLOAT)
#define EMPTY NAN
#else
#define EMPTY 0
#endif

void main() {
    int i = GLOBAL_ID;
    if (i >= u_size) return;
    int o = i / u_out_inner;
    int k = i - o * u_out_inner;
    int start = o * u_row_stride + k * u_block * u_step;
    int count = min(u_block, u_inner - k * u_block);
#if defined(SPLIT_SUM)
    // Eight running sums, added pairwise at the end: float32 rounding grows with
    // an eighth of the row, not with all of it (NumPy sums the same way).
    vec4 lo = vec4(0.0);
    vec4 hi = vec4(0.0);
    int j = 0;
    for (; j + 8 <= count; j += 8) {
        int s = start + j * u_step;
        lo += vec4(float(load0(s)), float(load0(s + u_step)), float(load0(s + 2 * u_step)),
                   float(load0(s + 3 * u_step)));
        hi += vec4(float(load0(s + 4 * u_step)), float(load0(s + 5 * u_step)),
                   float(load0(s + 6 * u_step)), float(load0(s + 7 * u_step)));
    }
    vec4 sums = lo + hi;
    float acc = (sums.x + sums.y) + (sums.z + sums.w);
    for (; j < count; ++j) acc += float(load0(start + j * u_step));
#elif defined(FROM_FIRST)
    ACC_T acc = count > 0 ? ACC_T(load0(start)) : ACC_T(EMPTY);
    for (int j = 1; j < count; ++j) acc = STEP(acc, ACC_T(load0(start + j * u_step)));
#else
    ACC_T acc = ACC_T(INIT);
    for (int j = 0; j < count; ++j) acc = STEP(acc, ACC_T(load0(start + j * u_step)));
#endif
#if defined(OP_Mean)
    acc *= u_scale;
#endif
    store0(i, acc);
}
