// Float helpers with tfjs' (JavaScript's) semantics where GLSL leaves a case undefined.

// NaN checks that also compile for int operands (Mesa turns `x < 0 ? 0 : x`
// into a NaN-dropping max unless NaN is tested explicitly).
bool isnan_(float x) { return isnan(x); }
bool isnan_(int x) { return false; }

// float -> int32 as tfjs stores into an Int32Array: truncation, wrapping
// modulo 2^32 (JavaScript's ToInt32); NaN and +-Infinity give 0.
int to_int(float x) {
    if (isnan(x) || isinf(x)) return 0;
    x = trunc(x);
    if (abs(x) >= 2147483648.0) {
        x -= 4294967296.0 * floor(x / 4294967296.0);
        if (x >= 2147483648.0) x -= 4294967296.0;
    }
    return int(x);
}

// log() with float32 accuracy: llvmpipe's builtin is off by up to 1e-5
// absolute (measured), too coarse for log-softmax or log1p.
float log_(float x) {
    if (!(x > 0.0)) return x == 0.0 ? -INF : NAN;
    if (isinf(x)) return x;
    int e;
    float m = frexp(x, e);
    if (m < 0.70710678) {
        m *= 2.0;
        e -= 1;
    }
    float s = (m - 1.0) / (m + 1.0);
    float s2 = s * s;
    float p = s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0
              + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0))))));
    return float(e) * 0.6931471805599453 + (2.0 * s + 2.0 * s * p);
}

float log1p_(float x) {
    float u = 1.0 + x;
    if (isinf(u)) return u > 0.0 ? u : NAN;
    return u == 1.0 ? x : log_(u) * (x / (u - 1.0));
}

float expm1_(float x) {
    float u = exp(x);
    if (u == 1.0) return x;
    if (u - 1.0 == -1.0) return -1.0;
    return isinf(u) ? u : (u - 1.0) * (x / log_(u));
}

float tanh_(float x) {
    float a = abs(x);
    float t = a < 0.5 ? (expm1_(2.0 * a) / (expm1_(2.0 * a) + 2.0)) : 1.0 - 2.0 / (exp(2.0 * a) + 1.0);
    return isnan(x) ? x : (x < 0.0 ? -t : t);
}

float sigmoid_(float x) {
    float e = exp(-abs(x));
    return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

float softplus_(float x) { return max(x, 0.0) + log1p_(exp(-abs(x))); }

// Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), as tfjs uses.
float erf_(float x) {
    if (abs(x) < 0.5) {  // the Taylor series keeps small values' relative precision
        float z = x * x;
        return 1.1283791670955126 * x * (1.0 + z * (-1.0 / 3.0 + z * (0.1 + z * (-1.0 / 42.0
               + z * (1.0 / 216.0 + z * (-1.0 / 1320.0))))));
    }
    float t = 1.0 / (1.0 + 0.3275911 * abs(x));
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t
                      - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
    return sign(x) * y;
}

float asinh_(float x) {
    float a = abs(x);
    float r = a > 1e10 ? log_(a) + 0.6931471805599453 : log1p_(a + a * a / (1.0 + sqrt(1.0 + a * a)));
    return x < 0.0 ? -r : r;
}

float acosh_(float x) {
    if (x < 1.0) return NAN;
    return x > 1e10 ? log_(x) + 0.6931471805599453 : log1p_((x - 1.0) + sqrt((x - 1.0) * (x + 1.0)));
}

float atanh_(float x) { return abs(x) > 1.0 ? NAN : 0.5 * log1p_(2.0 * x / (1.0 - x)); }

float sign_(float x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

// JavaScript's Math.pow for float32 operands.
float pow_(float a, float b) {
    if (b == 0.0) return 1.0;
    if (isnan(a) || isnan(b)) return NAN;
    if (a == 0.0) return b > 0.0 ? 0.0 : INF;
    if (a > 0.0) return isinf(b) ? (a == 1.0 ? NAN : ((a > 1.0) == (b > 0.0) ? INF : 0.0))
                                 : exp(b * log_(a));
    if (floor(b) != b) return NAN;
    float r = exp(b * log_(-a));
    return mod(b, 2.0) == 1.0 ? -r : r;
}

int ipow_(int a, int b) {
    if (b < 0) return a == 1 ? 1 : (a == -1 ? ((b & 1) == 1 ? -1 : 1) : 0);
    int r = 1;
    while (b > 0) {
        if ((b & 1) == 1) r *= a;
        a *= a;
        b >>= 1;
    }
    return r;
}

// atan, asin, acos with float32 accuracy (llvmpipe's builtins are off by up to
// 6e-5 and give 0 for NaN): Cephes' atanf reduction and polynomial.
float atan_(float x) {
    float a = abs(x);
    float base = 0.0;
    if (a > 2.414213562373095) {
        base = 1.5707963267948966;
        a = -1.0 / a;
    } else if (a > 0.41421356237309503) {
        base = 0.7853981633974483;
        a = (a - 1.0) / (a + 1.0);
    }
    float z = a * a;
    float y = (((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z
               - 3.33329491539e-1) * z * a + a + base;
    return x < 0.0 ? -y : y;
}

float atan2_(float a, float b) {
    const float PI = 3.141592653589793;
    if (isnan(a) || isnan(b)) return NAN;
    bool a_negative = floatBitsToInt(a) < 0;
    if (a == 0.0 && b == 0.0) {  // signed zeros as in Math.atan2
        return floatBitsToInt(b) < 0 ? (a_negative ? -PI : PI) : a;
    }
    if (isinf(a) && isinf(b)) {
        float r = b > 0.0 ? 0.25 * PI : 0.75 * PI;
        return a_negative ? -r : r;
    }
    if (abs(b) >= abs(a)) {
        float r = atan_(a / b);
        return b < 0.0 ? r + (a_negative ? -PI : PI) : r;
    }
    return (a > 0.0 ? 0.5 * PI : -0.5 * PI) - atan_(b / a);
}

float asin_(float x) {
    if (abs(x) > 1.0) return NAN;
    return atan2_(x, sqrt((1.0 - x) * (1.0 + x)));
}

float acos_(float x) {
    if (abs(x) > 1.0) return NAN;
    if (x == -1.0) return 3.141592653589793;
    return 2.0 * atan2_(sqrt((1.0 - x) * (1.0 + x)), 1.0 + x);
}

int ifloordiv_(int a, int b) {
    if (b == 0) return 0;
    int q = a / b;
    int r = a - q * b;
    return (r != 0 && ((r < 0) != (b < 0))) ? q - 1 : q;
}

int imod_(int a, int b) {
    if (b == 0) return 0;
    int r = a - (a / b) * b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// tfjs' mod: JavaScript's % (fmod), moved to the divisor's sign.
float js_rem_(float a, float b) {
    if (isnan(a) || isnan(b) || isinf(a) || b == 0.0) return NAN;
    if (isinf(b)) return a;
    return a - b * trunc(a / b);
}

float fmod_(float a, float b) {
    float r = js_rem_(a, b);
    if ((a < 0.0 && b < 0.0) || (a >= 0.0 && b >= 0.0)) return r;
    // |r| < |b| with opposite signs: r + b is in range; tfjs's second % only
    // matters for an infinite b (NaN) once computed in float64.
    return r == 0.0 ? 0.0 : (isinf(b) ? NAN : r + b);
}
