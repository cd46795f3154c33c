// Float helpers with tfjs' (JavaScript's) semantics where GLSL leaves a case undefined.

// NaN checks that also compile for int operands (Mesa turns `x < 0 ? 0 : x`
// into a NaN-dropping max unless NaN is tested explicitly).
bool isnan_(float x) { return isnan(x); }
bool isnan_(int x) { return false; }

// float -> int32 as tfjs casts: truncation, NaN and +-Infinity give 0.
int to_int(float x) { return (isnan(x) || isinf(x)) ? 0 : int(x); }

float log1p_(float x) {
    float u = 1.0 + x;
    return u == 1.0 ? x : log(u) * (x / (u - 1.0));
}

float expm1_(float x) {
    float u = exp(x);
    if (u == 1.0) return x;
    if (u - 1.0 == -1.0) return -1.0;
    return isinf(u) ? u : (u - 1.0) * (x / log(u));
}

float sigmoid_(float x) {
    float e = exp(-abs(x));
    return x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

float softplus_(float x) { return max(x, 0.0) + log1p_(exp(-abs(x))); }

// Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7), as tfjs uses.
float erf_(float x) {
    float t = 1.0 / (1.0 + 0.3275911 * abs(x));
    float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t
                      - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
    return sign(x) * y;
}

float asinh_(float x) {
    float a = abs(x);
    float r = a > 1e10 ? log(a) + 0.6931471805599453 : log1p_(a + a * a / (1.0 + sqrt(1.0 + a * a)));
    return x < 0.0 ? -r : r;
}

float acosh_(float x) {
    if (x < 1.0) return NAN;
    return x > 1e10 ? log(x) + 0.6931471805599453 : log1p_((x - 1.0) + sqrt((x - 1.0) * (x + 1.0)));
}

float atanh_(float x) { return 0.5 * log1p_(2.0 * x / (1.0 - x)); }

float sign_(float x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0); }

// JavaScript's Math.pow for float32 operands.
float pow_(float a, float b) {
    if (b == 0.0) return 1.0;
    if (isnan(a) || isnan(b)) return NAN;
    if (a == 0.0) return b > 0.0 ? 0.0 : INF;
    if (a > 0.0) return isinf(b) ? (a == 1.0 ? NAN : ((a > 1.0) == (b > 0.0) ? INF : 0.0))
                                 : exp2(b * log2(a));
    if (floor(b) != b) return NAN;
    float r = exp2(b * log2(-a));
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

float atan2_(float a, float b) {
    if (a == 0.0 && b == 0.0) {  // signed zeros as in Math.atan2
        float pi = floatBitsToInt(a) < 0 ? -3.141592653589793 : 3.141592653589793;
        return floatBitsToInt(b) < 0 ? pi : a;
    }
    return atan(a, b);
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

// tfjs' mod: the remainder takes the divisor's sign.
float fmod_(float a, float b) {
    float r = a - b * trunc(a / b);
    return (r != 0.0 && ((r < 0.0) != (b < 0.0))) ? r + b : r;
}
