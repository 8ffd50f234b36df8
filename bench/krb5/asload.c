/*
 * Closed-loop AS-REQ load on an MIT Kerberos KDC: THREADS threads, each with its own krb5 context and its own
 * in-memory copy of KEYTAB, ask for initial credentials (krb5_get_init_creds_keytab: one AS-REQ over UDP, the AS-REP
 * decrypted with the user's key) of a user picked at random among NUSERS principals user0..user<N-1>, for SECONDS
 * seconds. Prints "ops=<n> errors=<e>".
 * The realm comes from KRB5_CONFIG (bench/krb5/run.sh sets up a throwaway one on 127.0.0.1).
 *
 *   asload SECONDS THREADS NUSERS KEYTAB
 */
#include <krb5.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int seconds, nthreads, nusers;
static const char *keytab_name;
static volatile long total_ops, total_errors;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The keytab file copied into a MEMORY keytab of this thread: krb5_get_init_creds_keytab scans the keytab for the
 * principal's enctypes and then for its key, which on a FILE keytab of NUSERS entries means opening, locking and
 * reading the whole file twice per AS-REQ (about 1.5 ms of client CPU here, ten times the KDC's own work), so the
 * driver, not the KDC, would set the pace.
 */
static krb5_keytab memory_keytab(krb5_context ctx, int id) {
    krb5_keytab file, mem;
    krb5_kt_cursor cur;
    krb5_keytab_entry entry;
    char name[64];
    snprintf(name, sizeof name, "MEMORY:asload-%d", id);
    if (krb5_kt_resolve(ctx, keytab_name, &file) || krb5_kt_resolve(ctx, name, &mem)
            || krb5_kt_start_seq_get(ctx, file, &cur)) {
        fprintf(stderr, "asload: cannot open the keytab %s\n", keytab_name);
        exit(1);
    }
    int n = 0;
    while (krb5_kt_next_entry(ctx, file, &entry, &cur) == 0) {
        if (krb5_kt_add_entry(ctx, mem, &entry)) {
            fprintf(stderr, "asload: cannot copy a keytab entry\n");
            exit(1);
        }
        krb5_free_keytab_entry_contents(ctx, &entry);
        n++;
    }
    krb5_kt_end_seq_get(ctx, file, &cur);
    krb5_kt_close(ctx, file);
    if (n < nusers) {
        fprintf(stderr, "asload: the keytab holds %d entries, fewer than %d users\n", n, nusers);
        exit(1);
    }
    return mem;
}

static void *client(void *arg) {
    unsigned int seed = (unsigned int)(size_t)arg * 2654435761u ^ (unsigned int)time(NULL);
    krb5_context ctx;
    krb5_keytab kt;
    krb5_get_init_creds_opt *opt;
    long ops = 0, errors = 0;
    if (krb5_init_context(&ctx) || krb5_get_init_creds_opt_alloc(ctx, &opt)) {
        fprintf(stderr, "asload: cannot set up a krb5 context\n");
        exit(1);
    }
    kt = memory_keytab(ctx, (int)(size_t)arg);
    krb5_get_init_creds_opt_set_forwardable(opt, 0);
    krb5_get_init_creds_opt_set_proxiable(opt, 0);
    krb5_get_init_creds_opt_set_address_list(opt, NULL);
    /* the client's own ccache is not touched: only the AS exchange */
    krb5_principal *users = calloc(nusers, sizeof *users);
    for (int i = 0; i < nusers; i++) {
        char name[64];
        snprintf(name, sizeof name, "user%d", i);
        if (krb5_parse_name(ctx, name, &users[i])) {
            fprintf(stderr, "asload: bad principal %s\n", name);
            exit(1);
        }
    }
    double end = now() + seconds;
    while (now() < end) {
        krb5_creds creds;
        krb5_error_code e = krb5_get_init_creds_keytab(ctx, &creds, users[rand_r(&seed) % nusers], kt, 0, NULL, opt);
        if (e) {
            if (errors++ < 3) {
                fprintf(stderr, "asload: %s\n", krb5_get_error_message(ctx, e));
            }
        } else {
            ops++;
            krb5_free_cred_contents(ctx, &creds);
        }
    }
    pthread_mutex_lock(&mu);
    total_ops += ops;
    total_errors += errors;
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < nusers; i++) {
        krb5_free_principal(ctx, users[i]);
    }
    free(users);
    krb5_get_init_creds_opt_free(ctx, opt);
    krb5_kt_close(ctx, kt);
    krb5_free_context(ctx);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: asload SECONDS THREADS NUSERS KEYTAB\n");
        return 2;
    }
    seconds = atoi(argv[1]);
    nthreads = atoi(argv[2]);
    nusers = atoi(argv[3]);
    keytab_name = argv[4];
    pthread_t *t = calloc(nthreads, sizeof *t);
    for (int i = 0; i < nthreads; i++) {
        pthread_create(&t[i], NULL, client, (void *)(size_t)(i + 1));
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(t[i], NULL);
    }
    printf("ops=%ld errors=%ld\n", total_ops, total_errors);
    return total_errors == 0 ? 0 : 1;
}
