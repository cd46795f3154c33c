// Batched matrix product out[b] = A[b] (M x K) * B[b] (K x N) in one dispatch
// over the operands as they are (one value per texel): the kernel's path for
// products too small to repay packing (tfjs_py/backends/gl/kernels/linalg.py,
// whose packed path is matmul_packed.comp), and the baseline column of
// benchmarks/matmul.py --gl. Each invocation computes a 4 x 4 block of the
// output in registers: per k, 4 values of A and a 4-vector of B feed 16
// multiply-adds. (A shared-memory tiled version with
// barrier() ran about 100x slower on llvmpipe, which runs barriers as
// coroutine switches.) A's element (m, k) is
// in0[b * u_a_batch + m * u_a_row + k * u_a_col] (transposes and batch
// broadcasting are only strides); likewise for B.
#include "common.glsl"

#if defined(OUT0_FLOAT)
#define VEC4 vec4
#else
#define VEC4 ivec4
#endif

uniform int u_size;
uniform int u_m;
uniform int u_n;
uniform int u_k;
uniform int u_blocks_m;
uniform int u_blocks_n;
uniform int u_a_batch;
uniform int u_a_row;
uniform int u_a_col;
uniform int u_b_batch;
uniform int u_b_row;
uniform int u_b_col;

void main() {
    int g = GLOBAL_ID;
    if (g >= u_size) return;
    int bn = g % u_blocks_n;
    int bm = (g / u_blocks_n) % u_blocks_m;
    int batch = g / (u_blocks_n * u_blocks_m);
    int row0 = bm * 4;
    int col0 = bn * 4;
    // Rows and columns past the edge read the last valid one and are not stored.
    int last_row = u_m - 1, last_col = u_n - 1;
    int a0 = batch * u_a_batch + min(row0, last_row) * u_a_row;
    int a1 = batch * u_a_batch + min(row0 + 1, last_row) * u_a_row;
    int a2 = batch * u_a_batch + min(row0 + 2, last_row) * u_a_row;
    int a3 = batch * u_a_batch + min(row0 + 3, last_row) * u_a_row;
    int b0 = batch * u_b_batch + min(col0, last_col) * u_b_col;
    int b1 = batch * u_b_batch + min(col0 + 1, last_col) * u_b_col;
    int b2 = batch * u_b_batch + min(col0 + 2, last_col) * u_b_col;
    int b3 = batch * u_b_batch + min(col0 + 3, last_col) * u_b_col;
    VEC4 acc0 = VEC4(0), acc1 = VEC4(0), acc2 = VEC4(0), acc3 = VEC4(0);
    for (int k = 0; k < u_k; ++k) {
        int ka = k * u_a_col;
        int kb = k * u_b_row;
        VEC4 b = VEC4(load1(b0 + kb), load1(b1 + kb), load1(b2 + kb), load1(b3 + kb));
        acc0 += OUT0_T(load0(a0 + ka)) * b;
        acc1 += OUT0_T(load0(a1 + ka)) * b;
        acc2 += OUT0_T(load0(a2 + ka)) * b;
        acc3 += OUT0_T(load0(a3 + ka)) * b;
    }
    VEC4 rows[4] = VEC4[4](acc0, acc1, acc2, acc3);
    for (int r = 0; r < 4 && row0 + r < u_m; ++r) {
        for (int c = 0; c < 4 && col0 + c < u_n; ++c) {
            store0((batch * u_m + row0 + r) * u_n + col0 + c, rows[r][c]);
        }
    }
}
