/*
 * This machine's fp32 multiply-add peak on AVX2: twelve independent chains of 256-bit FMAs per thread (more than
 * the FMA latency times the FMA units, so they never wait), on 1 thread and on 2 at once. The GFLOP/s the
 * benchmarks report are read against this figure rather than one computed from a nominal clock: a virtual
 * machine's cores may run above it (boost) and may be shared. Not part of rerank4j; a measuring aid.
 *
 *   gcc -O2 -mavx2 -mfma -pthread rerank4j-bench/peak/fma_peak.c -o /tmp/fma_peak && /tmp/fma_peak
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static const long STEPS = 100000000L;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *chains(void *out) {
    __m256 c[12];
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    for (int j = 0; j < 12; j++) c[j] = _mm256_set1_ps((float) j);
    for (long i = 0; i < STEPS; i++) {
#pragma GCC unroll 12
        for (int j = 0; j < 12; j++) c[j] = _mm256_fmadd_ps(c[j], a, b);
    }
    float sum = 0; /* every chain feeds the result, or the compiler drops it */
    for (int j = 0; j < 12; j++) {
        float lanes[8];
        _mm256_storeu_ps(lanes, c[j]);
        sum += lanes[0];
    }
    *(float *) out = sum;
    return NULL;
}

int main(void) {
    double flops = STEPS * 12.0 * 8 * 2;
    for (int run = 0; run < 5; run++) {
        float s[2];
        pthread_t t[2];
        double t0 = now();
        chains(&s[0]);
        double one = now() - t0;
        t0 = now();
        pthread_create(&t[0], NULL, chains, &s[0]);
        pthread_create(&t[1], NULL, chains, &s[1]);
        pthread_join(t[0], NULL);
        pthread_join(t[1], NULL);
        double two = now() - t0;
        printf("1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s (%g)\n", flops / one / 1e9, 2 * flops / two / 1e9,
               s[0] + s[1]);
    }
    return 0;
}
