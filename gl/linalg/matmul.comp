// Batched matrix product out[b] = A[b] (M x K) * B[b] (K x N), one TILE x TILE
// output tile per workgroup, staging TILE x TILE blocks of A and B in shared
// memory. A's element (m, k) is in0[b * u_a_batch + m * u_a_row + k * u_a_col]
// (transposes and batch broadcasting are only strides); likewise for B.
#include "common.glsl"

#define TILE 16
uniform int u_m;
uniform int u_n;
uniform int u_k;
uniform int u_tiles_m;
uniform int u_tiles_n;
uniform int u_a_batch;
uniform int u_a_row;
uniform int u_a_col;
uniform int u_b_batch;
uniform int u_b_row;
uniform int u_b_col;

shared OUT0_T a_tile[TILE][TILE];
shared OUT0_T b_tile[TILE][TILE];

void main() {
    int g = GROUP_ID;
    int tn = g % u_tiles_n;
    int tm = (g / u_tiles_n) % u_tiles_m;
    int batch = g / (u_tiles_n * u_tiles_m);
    int lx = int(gl_LocalInvocationID.x) % TILE;
    int ly = int(gl_LocalInvocationID.x) / TILE;
    int row = tm * TILE + ly;
    int col = tn * TILE + lx;
    int a_base = batch * u_a_batch + row * u_a_row;
    int b_base = batch * u_b_batch + col * u_b_col;
    OUT0_T acc = OUT0_T(0);
    for (int k0 = 0; k0 < u_k; k0 += TILE) {
        int ka = k0 + lx;
        int kb = k0 + ly;
        a_tile[ly][lx] = (row < u_m && ka < u_k) ? OUT0_T(load0(a_base + ka * u_a_col)) : OUT0_T(0);
        b_tile[ly][lx] = (kb < u_k && col < u_n) ? OUT0_T(load1(b_base + kb * u_b_row)) : OUT0_T(0);
        barrier();
        for (int k = 0; k < TILE; ++k) acc += a_tile[ly][k] * b_tile[k][lx];
        barrier();
    }
    if (row < u_m && col < u_n) store0((batch * u_m + row) * u_n + col, acc);
}
