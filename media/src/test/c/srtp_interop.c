/*
 * Interop helper for LibsrtpInteropTest: protects or unprotects packets with libsrtp2.
 *
 *   srtp_interop protect|unprotect <crypto-suite> <master-key-hex> <master-salt-hex>
 *
 * <crypto-suite> is an RFC 4568 / RFC 6188 name: AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32,
 * AES_256_CM_HMAC_SHA1_80 or AES_256_CM_HMAC_SHA1_32.
 *
 * stdin: one packet per line, "rtp <hex>" or "rtcp <hex>". stdout: for each line, "ok <hex>" with the
 * transformed packet, or "err <srtp_err_status_t>". One session, SSRC any (inbound) / taken from the packets
 * (outbound), replay window 128, so ROC and SRTCP index state carry across lines.
 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unhex(const char *s, unsigned char *out, int max) {
    int n = 0;
    while (s[0] && s[1] && s[0] != '\n' && s[0] != '\r') {
        unsigned int v;
        if (n >= max || sscanf(s, "%2x", &v) != 1) return -1;
        out[n++] = (unsigned char)v;
        s += 2;
    }
    return n;
}

static void set_policy(srtp_policy_t *p, const char *suite) {
    if (strcmp(suite, "AES_CM_128_HMAC_SHA1_80") == 0) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
    } else if (strcmp(suite, "AES_CM_128_HMAC_SHA1_32") == 0) {
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp); /* SRTCP keeps an 80-bit tag (RFC 3711 7.5) */
    } else if (strcmp(suite, "AES_256_CM_HMAC_SHA1_80") == 0) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp);
    } else if (strcmp(suite, "AES_256_CM_HMAC_SHA1_32") == 0) {
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(&p->rtp);
        srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(&p->rtcp); /* SRTCP keeps an 80-bit tag */
    } else {
        fprintf(stderr, "unknown crypto suite %s\n", suite);
        exit(2);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s protect|unprotect <crypto-suite> <key-hex> <salt-hex>\n", argv[0]);
        return 2;
    }
    int protect = strcmp(argv[1], "protect") == 0;
    unsigned char key[64];
    int kl = unhex(argv[3], key, 32);
    int sl = unhex(argv[4], key + (kl > 0 ? kl : 0), 14);
    if (kl <= 0 || sl != 14) {
        fprintf(stderr, "bad key or salt\n");
        return 2;
    }
    if (srtp_init() != srtp_err_status_ok) {
        fprintf(stderr, "srtp_init failed\n");
        return 1;
    }
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    set_policy(&policy, argv[2]);
    policy.ssrc.type = protect ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = key;
    policy.window_size = 128;
    policy.allow_repeat_tx = 0;
    policy.next = NULL;
    srtp_t session;
    srtp_err_status_t st = srtp_create(&session, &policy);
    if (st != srtp_err_status_ok) {
        fprintf(stderr, "srtp_create failed: %d\n", st);
        return 1;
    }
    char line[8192];
    unsigned char pkt[4096];
    while (fgets(line, sizeof line, stdin)) {
        int rtcp = strncmp(line, "rtcp ", 5) == 0;
        const char *hex = line + (rtcp ? 5 : 4);
        int len = unhex(hex, pkt, 2048);
        if (len < 0) {
            printf("err bad-hex\n");
            continue;
        }
        if (protect) {
            st = rtcp ? srtp_protect_rtcp(session, pkt, &len) : srtp_protect(session, pkt, &len);
        } else {
            st = rtcp ? srtp_unprotect_rtcp(session, pkt, &len) : srtp_unprotect(session, pkt, &len);
        }
        if (st != srtp_err_status_ok) {
            printf("err %d\n", st);
        } else {
            printf("ok ");
            for (int i = 0; i < len; i++) printf("%02x", pkt[i]);
            printf("\n");
        }
        fflush(stdout);
    }
    srtp_dealloc(session);
    srtp_shutdown();
    return 0;
}
