// Textures of the optimizer shaders, all float32 and of one size: the value,
// the accumulators and the gradient in (in0..in4), the new value and the new
// accumulators out (out0..out3). common.glsl declares in0..in2 and out0 from
// the runner's defines; the rest are declared here.
#ifndef IN1_T
layout(binding = 1) uniform highp sampler2D in1;
#endif
#ifndef IN2_T
layout(binding = 2) uniform highp sampler2D in2;
#endif
layout(binding = 3) uniform highp sampler2D in3;
layout(binding = 4) uniform highp sampler2D in4;
#define load3(i) texelFetch(in3, texel(i), 0).r
#define load4(i) texelFetch(in4, texel(i), 0).r

layout(r32f, binding = 1) writeonly uniform highp image2D out1;
layout(r32f, binding = 2) writeonly uniform highp image2D out2;
layout(r32f, binding = 3) writeonly uniform highp image2D out3;
#define store1(i, v) imageStore(out1, texel(i), vec4(v))
#define store2(i, v) imageStore(out2, texel(i), vec4(v))
#define store3(i, v) imageStore(out3, texel(i), vec4(v))

uniform int u_size;
