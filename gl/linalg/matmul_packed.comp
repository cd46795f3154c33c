// Batched matrix product out[b] = A[b] (u_m x K) * B[b] (K x u_n) from operands
// packed by pack4.comp into one texture in0: A packed along K (u_kq texels per
// row) from texel 0, B packed along N (u_nq texels per row, K padded to
// 4 * u_kq rows with zeros) from texel u_b_offset. One vec4 fetch brings 4
// values, so per 4 steps of K an invocation reads BLOCK_ROWS + 4 * BLOCK_COLS
// texels for 16 * BLOCK_ROWS * BLOCK_COLS multiply-adds, kept in registers
// (one value per texel would take 4 * BLOCK_ROWS + 16 * BLOCK_COLS fetches).
// Work-group shared memory with barrier() is not used: llvmpipe runs barriers
// as coroutine switches.
//
// Tile sizes are #defines set by tfjs_py/backends/gl/kernels/linalg.py (whose
// constants of the same names were tuned by measurement on llvmpipe):
//   BLOCK_ROWS  output rows per invocation
//   BLOCK_COLS  output columns per invocation, in vec4 texels (4 columns each)
//   GROUP_COLS  invocations of a work group side by side along N; the
//               LOCAL_SIZE / GROUP_COLS rows of them stack along M, so a work
//               group covers a 2-D tile of the output and reuses A's and B's
//               panels from cache.
// Rows and columns past the edge read the last valid one and are not stored.
#include "common.glsl"

// The kernel always sets these; the defaults let the shader compile alone.
#ifndef BLOCK_ROWS
#define BLOCK_ROWS 8
#endif
#ifndef BLOCK_COLS
#define BLOCK_COLS 2
#endif
#ifndef GROUP_COLS
#define GROUP_COLS 8
#endif

#if defined(OUT0_FLOAT)
#define VEC4 vec4
#else
#define VEC4 ivec4
#endif
#define GROUP_ROWS (LOCAL_SIZE / GROUP_COLS)
#define fetch(i) texelFetch(in0, texel(i), 0)

uniform int u_m;
uniform int u_n;
uniform int u_kq;
uniform int u_nq;
uniform int u_blocks_m;
uniform int u_blocks_n;
uniform int u_groups_m;
uniform int u_groups_n;
uniform int u_a_batch;  // texels per batch of packed A (0: broadcast)
uniform int u_b_batch;
uniform int u_b_offset;

void main() {
    int g = GROUP_ID;
    int gn = g % u_groups_n;
    int gm = (g / u_groups_n) % u_groups_m;
    int batch = g / (u_groups_n * u_groups_m);
    int l = int(gl_LocalInvocationID.x);
    int bn = gn * GROUP_COLS + l % GROUP_COLS;
    int bm = gm * GROUP_ROWS + l / GROUP_COLS;
    if (bm >= u_blocks_m || bn >= u_blocks_n) return;
    int row0 = bm * BLOCK_ROWS;
    int q0 = bn * BLOCK_COLS;
    int a[BLOCK_ROWS];
    for (int r = 0; r < BLOCK_ROWS; ++r) {
        a[r] = batch * u_a_batch + min(row0 + r, u_m - 1) * u_kq;
    }
    int b[BLOCK_COLS];
    for (int c = 0; c < BLOCK_COLS; ++c) {
        b[c] = u_b_offset + batch * u_b_batch + min(q0 + c, u_nq - 1);
    }
    VEC4 acc[BLOCK_ROWS * BLOCK_COLS];
    for (int i = 0; i < BLOCK_ROWS * BLOCK_COLS; ++i) acc[i] = VEC4(0);
    int step = 4 * u_nq;
    for (int kq = 0; kq < u_kq; ++kq) {
        VEC4 av[BLOCK_ROWS];
        for (int r = 0; r < BLOCK_ROWS; ++r) av[r] = fetch(a[r] + kq);
        int kb = kq * step;
        for (int c = 0; c < BLOCK_COLS; ++c) {
            int p = b[c] + kb;
            VEC4 b0 = fetch(p);
            VEC4 b1 = fetch(p + u_nq);
            VEC4 b2 = fetch(p + 2 * u_nq);
            VEC4 b3 = fetch(p + 3 * u_nq);
            for (int r = 0; r < BLOCK_ROWS; ++r) {
                acc[r * BLOCK_COLS + c] += av[r].x * b0 + av[r].y * b1 + av[r].z * b2
                                           + av[r].w * b3;
            }
        }
    }
    for (int r = 0; r < BLOCK_ROWS && row0 + r < u_m; ++r) {
        int o = (batch * u_m + row0 + r) * u_n;
        for (int c = 0; c < BLOCK_COLS; ++c) {
            int col0 = (q0 + c) * 4;
            for (int j = 0; j < 4 && col0 + j < u_n; ++j) {
                store0(o + col0 + j, acc[r * BLOCK_COLS + c][j]);
            }
        }
    }
}
