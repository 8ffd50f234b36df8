/*
 * libsrtp2 side of the SRTP throughput comparison (scripts/bench-media.sh):
 * protect and unprotect of RTP packets with a 160-byte payload, AES_CM_128_HMAC_SHA1_80 by default,
 * single thread, each operation copying the packet into the work buffer first (as SrtpBenchmark does).
 * Unprotect cycles through 65 536 packets protected in advance and recreates the session when the ring wraps.
 *
 *   srtp_bench [packets] [80|32|256]
 *   gcc -O2 -o srtp_bench srtp_bench.c -lsrtp2
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAYLOAD 160
#define RING 65536
#define SSRC 0x11223344u

static unsigned char key[46];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void header(unsigned char *b, unsigned seq) {
    unsigned ts = seq * 160;
    b[0] = 0x80; b[1] = 0; b[2] = (unsigned char)(seq >> 8); b[3] = (unsigned char)seq;
    b[4] = (unsigned char)(ts >> 24); b[5] = (unsigned char)(ts >> 16);
    b[6] = (unsigned char)(ts >> 8); b[7] = (unsigned char)ts;
    b[8] = (unsigned char)(SSRC >> 24); b[9] = (unsigned char)(SSRC >> 16);
    b[10] = (unsigned char)(SSRC >> 8); b[11] = (unsigned char)SSRC;
}

static srtp_t session(const char *profile, int outbound) {
    srtp_policy_t p;
    memset(&p, 0, sizeof p);
    if (strcmp(profile, "32") == 0) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
    } else if (strcmp(profile, "256") == 0) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p.rtcp);
    } else {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
    }
    p.ssrc.type = ssrc_specific;
    p.ssrc.value = SSRC;
    (void)outbound;
    p.key = key;
    p.window_size = 128;
    p.allow_repeat_tx = 0;
    srtp_t s;
    if (srtp_create(&s, &p) != srtp_err_status_ok) {
        fprintf(stderr, "srtp_create failed\n");
        exit(1);
    }
    return s;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    const char *profile = argc > 2 ? argv[2] : "80";
    for (int i = 0; i < 46; i++) key[i] = (unsigned char)(1 + 13 * i);
    if (srtp_init() != srtp_err_status_ok) return 1;

    unsigned char plain[12 + PAYLOAD], work[1500];
    for (int i = 12; i < 12 + PAYLOAD; i++) plain[i] = 0xd5 ^ i;

    srtp_t tx = session(profile, 1);
    unsigned seq = 0;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        seq = (seq + 1) & 0xffff;
        header(plain, seq);
        memcpy(work, plain, sizeof plain);
        int len = sizeof plain;
        if (srtp_protect(tx, work, &len) != srtp_err_status_ok) { fprintf(stderr, "protect failed\n"); return 1; }
    }
    double protect = n / (now() - t0);

    /* pre-protect a ring of packets with a fresh sender */
    srtp_t pre = session(profile, 1);
    static unsigned char ring[RING][12 + PAYLOAD + 16];
    static int ringLen[RING];
    for (unsigned s = 0; s < RING; s++) {
        header(plain, s);
        memcpy(ring[s], plain, sizeof plain);
        ringLen[s] = sizeof plain;
        if (srtp_protect(pre, ring[s], &ringLen[s]) != srtp_err_status_ok) { fprintf(stderr, "pre failed\n"); return 1; }
    }
    srtp_t rx = session(profile, 0);
    int next = 0;
    t0 = now();
    for (long i = 0; i < n; i++) {
        memcpy(work, ring[next], ringLen[next]);
        int len = ringLen[next];
        if (srtp_unprotect(rx, work, &len) != srtp_err_status_ok) { fprintf(stderr, "unprotect failed at %ld\n", i); return 1; }
        if (++next == RING) {
            next = 0;
            srtp_dealloc(rx);
            rx = session(profile, 0);
        }
    }
    double unprotect = n / (now() - t0);
    printf("libsrtp2 %s profile=%s packets=%ld protect_pps=%.0f unprotect_pps=%.0f\n",
           srtp_get_version_string(), profile, n, protect, unprotect);
    srtp_dealloc(tx);
    srtp_dealloc(pre);
    srtp_dealloc(rx);
    srtp_shutdown();
    return 0;
}
