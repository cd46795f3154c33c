// Shared by the fused LSTM shaders: the extra inputs and outputs they bind
// (common.glsl declares in0..in2 and out0 only), and the activations by code
// (ACT, REC_ACT: 0 tanh, 1 sigmoid, 2 hardSigmoid, 3 relu, 4 linear), each with
// its derivative from its output y, as tfjs' gradients take it.
#include "math.glsl"

#ifndef ACT
#define ACT 0
#endif
#ifndef REC_ACT
#define REC_ACT 2
#endif

#if !defined(IN1_FLOAT) && !defined(IN1_INT)
layout(binding = 1) uniform highp sampler2D in1;
#endif
#if !defined(IN2_FLOAT) && !defined(IN2_INT)
layout(binding = 2) uniform highp sampler2D in2;
#endif
layout(binding = 3) uniform highp sampler2D in3;
layout(binding = 4) uniform highp sampler2D in4;
layout(binding = 5) uniform highp sampler2D in5;
layout(binding = 6) uniform highp sampler2D in6;
layout(binding = 7) uniform highp sampler2D in7;
layout(binding = 8) uniform highp sampler2D in8;
layout(binding = 9) uniform highp sampler2D in9;
#define fetch(s, i) float(texelFetch(s, texel(i), 0).r)

layout(r32f, binding = 1) writeonly uniform highp image2D out1;
layout(r32f, binding = 2) writeonly uniform highp image2D out2;
layout(r32f, binding = 3) writeonly uniform highp image2D out3;
layout(r32f, binding = 4) writeonly uniform highp image2D out4;
layout(r32f, binding = 5) writeonly uniform highp image2D out5;
#define put(img, i, v) imageStore(img, texel(i), vec4(v))

float activate(float x, int kind) {
    if (kind == 0) return tanh_(x);
    if (kind == 1) return 1.0 / (1.0 + exp(-x));
    if (kind == 2) return clamp(0.2 * x + 0.5, 0.0, 1.0);
    if (kind == 3) return max(x, 0.0);
    return x;
}

float derivative(float y, int kind) {
    if (kind == 0) return 1.0 - y * y;
    if (kind == 1) return y - y * y;
    if (kind == 2) return y > 0.0 && y < 1.0 ? 0.2 : 0.0;
    if (kind == 3) return y > 0.0 ? 1.0 : 0.0;
    return 1.0;
}
