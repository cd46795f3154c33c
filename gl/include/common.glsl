// Included by every shader. The runner defines TEX_SHIFT, LOCAL_SIZE and, for
// each bound texture, IN<k>_FLOAT or IN<k>_INT and OUT<k>_FLOAT or OUT<k>_INT
// (plus OUT<k>_BOOL for bool results, stored as 0/1 in an R32I texture).

layout(local_size_x = LOCAL_SIZE) in;

// Added to gl_WorkGroupID.x: big dispatches run in chunks of workgroups.
uniform int u_group_offset;
#define GROUP_ID (u_group_offset + int(gl_WorkGroupID.x))
#define GLOBAL_ID (GROUP_ID * LOCAL_SIZE + int(gl_LocalInvocationID.x))
#define MAX_RANK 8

// Flat index -> texel: rows of 2^TEX_SHIFT values (tfjs_py/backends/gl/textures.py).
ivec2 texel(int i) { return ivec2(i & ((1 << TEX_SHIFT) - 1), i >> TEX_SHIFT); }

const float NAN = uintBitsToFloat(0x7fc00000u);
const float INF = uintBitsToFloat(0x7f800000u);

#if defined(IN0_FLOAT)
layout(binding = 0) uniform highp sampler2D in0;
#define IN0_T float
#elif defined(IN0_INT)
layout(binding = 0) uniform highp isampler2D in0;
#define IN0_T int
#endif
#if defined(IN1_FLOAT)
layout(binding = 1) uniform highp sampler2D in1;
#define IN1_T float
#elif defined(IN1_INT)
layout(binding = 1) uniform highp isampler2D in1;
#define IN1_T int
#endif
#if defined(IN2_FLOAT)
layout(binding = 2) uniform highp sampler2D in2;
#define IN2_T float
#elif defined(IN2_INT)
layout(binding = 2) uniform highp isampler2D in2;
#define IN2_T int
#endif
#define load0(i) texelFetch(in0, texel(i), 0).r
#define load1(i) texelFetch(in1, texel(i), 0).r
#define load2(i) texelFetch(in2, texel(i), 0).r

#if defined(OUT0_FLOAT)
layout(r32f, binding = 0) writeonly uniform highp image2D out0;
#define OUT0_T float
#define store0(i, v) imageStore(out0, texel(i), vec4(v))
#elif defined(OUT0_INT)
layout(r32i, binding = 0) writeonly uniform highp iimage2D out0;
#define OUT0_T int
#if defined(OUT0_BOOL)
#define store0(i, v) imageStore(out0, texel(i), ivec4((v) != 0 ? 1 : 0))
#else
#define store0(i, v) imageStore(out0, texel(i), ivec4(v))
#endif
#endif
