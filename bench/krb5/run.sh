#!/usr/bin/env bash
# MIT Kerberos KDC (AS-REQ) vs the kmsconf KMS (REQUEST/RESOLVE on its default H2 file store), per server core, in
# one invocation: a throwaway realm on 127.0.0.1 driven by asload.c, then KmsLoad against a separate kms serve,
# alternately for $ROUNDS rounds. Each server's CPU is read from /proc/<pid>/stat (utime + stime of the whole
# process), so a rate per core is operations / server CPU seconds, whatever the load driver on the same cores costs.
#
#   bench/krb5/run.sh            (after ./mvnw -q -DskipTests package; installs krb5-kdc etc. with apt if missing)
#
# Environment: ROUNDS (3), SECONDS_PER_RUN (15), WARMUP (20, each KmsLoad's own JVM warm-up), KDC_THREADS (4),
# KMS_CLIENTS (8), USERS (200), KEEP=1 keeps the temporary directory. Nothing global is configured: the realm lives
# in a temporary directory named by KRB5_CONFIG and KRB5_KDC_PROFILE; every address is 127.0.0.1.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-15}
WARMUP=${WARMUP:-20}
KDC_THREADS=${KDC_THREADS:-4}
KMS_CLIENTS=${KMS_CLIENTS:-8}
USERS=${USERS:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JAR=$REPO/bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "run.sh: $JAR missing: run ./mvnw -q -DskipTests package first" >&2; exit 2; }

# 1. MIT Kerberos, only if missing (Debian packages; root)
need=()
command -v krb5kdc >/dev/null || [ -x /usr/sbin/krb5kdc ] || need+=(krb5-kdc)
command -v kadmin.local >/dev/null || [ -x /usr/sbin/kadmin.local ] || need+=(krb5-admin-server)
[ -f /usr/include/krb5.h ] || need+=(libkrb5-dev)
command -v cc >/dev/null || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >/dev/null
fi
export PATH=$PATH:/usr/sbin

# 2. a throwaway realm in a temporary directory
T=$(mktemp -d /tmp/krb5bench.XXXXXX)
KDC_PID=
cleanup() {
    [ -n "$KDC_PID" ] && kill "$KDC_PID" 2>/dev/null || true
    [ "${KEEP:-0}" = 1 ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REALM=BENCH.TEST
cat > "$T/krb5.conf" <<CONF
[libdefaults]
    default_realm = $REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 4096
[realms]
    $REALM = {
        kdc = 127.0.0.1:$PORT
    }
CONF
cat > "$T/kdc.conf" <<CONF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$PORT
    kdc_tcp_listen = 127.0.0.1:$PORT
[realms]
    $REALM = {
        database_name = $T/principal
        key_stash_file = $T/stash
        acl_file = $T/kadm5.acl
        kdc_listen = 127.0.0.1:$PORT
        kdc_tcp_listen = 127.0.0.1:$PORT
        supported_enctypes = aes256-cts-hmac-sha1-96:normal
        max_life = 10h
    }
[logging]
    kdc = FILE:$T/kdc.log
CONF
: > "$T/kadm5.acl"
export KRB5_CONFIG=$T/krb5.conf KRB5_KDC_PROFILE=$T/kdc.conf
kdb5_util create -s -r "$REALM" -P "throwaway-$RANDOM$RANDOM" >/dev/null
for ((i = 0; i < USERS; i++)); do
    echo "addprinc -randkey -e aes256-cts-hmac-sha1-96:normal user$i"
    echo "ktadd -k $T/users.keytab -e aes256-cts-hmac-sha1-96:normal user$i"
done | kadmin.local -r "$REALM" >/dev/null 2>&1
cc -O2 -o "$T/asload" "$HERE/asload.c" $(krb5-config --cflags --libs krb5) -lpthread
krb5kdc -n -r "$REALM" &
KDC_PID=$!
sleep 1
kill -0 "$KDC_PID" || { echo "run.sh: krb5kdc did not start; see $T/kdc.log" >&2; exit 1; }
echo "MIT krb5kdc $(krb5-config --version | awk '{print $NF}') pid $KDC_PID on udp 127.0.0.1:$PORT, $USERS principals;" \
    "$(nproc) cores; load average $(cut -d' ' -f1 /proc/loadavg) at the start"

HZ=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$HZ" '{ sub(/^.*\) /, ""); split($0, f, " "); printf "%.3f", (f[12] + f[13]) / hz }' "/proc/$1/stat"; }

# warm the KDC (its database pages, the client library) once
"$T/asload" 3 "$KDC_THREADS" "$USERS" "$T/users.keytab" >/dev/null

kdc_rates=()
kms_rates=()
round_ratios=()
for ((r = 1; r <= ROUNDS; r++)); do
    c0=$(cpu_seconds "$KDC_PID")
    out=$("$T/asload" "$SECONDS_PER_RUN" "$KDC_THREADS" "$USERS" "$T/users.keytab")
    c1=$(cpu_seconds "$KDC_PID")
    ops=$(sed -n 's/^ops=\([0-9]*\).*/\1/p' <<<"$out")
    kdc=$(awk -v o="$ops" -v a="$c0" -v b="$c1" -v s="$SECONDS_PER_RUN" \
        'BEGIN { printf "%.0f %.0f %.1f %.0f", o / s, o / (b - a), (b - a) * 1e6 / o, (b - a) * 100 / s }')
    read -r kdc_ops_s kdc_per_core kdc_us kdc_busy <<<"$kdc"
    kdc_rates+=("$kdc_per_core")
    printf 'round %d KDC  %7s AS-REQ/s  %6s us KDC CPU per op  %7s ops per KDC core-second  (KDC busy %s%% of a core; %s)\n' \
        "$r" "$kdc_ops_s" "$kdc_us" "$kdc_per_core" "$kdc_busy" "$out"

    res=$(java -cp "$JAR" org.kmsconf.bench.kms.KmsLoad --clients "$KMS_CLIENTS" --users "$USERS" \
        --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" | tee "$T/kmsload-$r.txt" | grep '^RESULT' || true)
    [ -n "$res" ] || { echo "run.sh: KmsLoad failed:"; cat "$T/kmsload-$r.txt"; exit 1; }
    get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$res"; }
    kms_rates+=("$(get kms_ops_per_core_s)")
    round_ratios+=("$(awk -v a="$(get kms_ops_per_core_s)" -v b="$kdc_per_core" 'BEGIN { printf "%.2f", a / b }')")
    kms_busy=$(awk -v c="$(get kms_cpu_s)" -v s="$(get seconds)" 'BEGIN { printf "%.0f", c * 100 / s }')
    printf 'round %d KMS  %7s ops/s     %6s us KMS CPU per op  %7s ops per KMS core-second  (KMS busy %s%% of a core; p99 %s ms, %s wrong; this round KMS/KDC %s)\n' \
        "$r" "$(get ops_per_s)" "$(get kms_us_per_op)" "$(get kms_ops_per_core_s)" "$kms_busy" "$(get p99_ms)" "$(get errors)" \
        "${round_ratios[-1]}"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
kdc_m=$(median "${kdc_rates[@]}")
kms_m=$(median "${kms_rates[@]}")
mapfile -t sorted_ratios < <(printf '%s\n' "${round_ratios[@]}" | sort -n)
echo "median per server core: KDC $kdc_m AS-REQ, KMS $kms_m REQUEST/RESOLVE;" \
    "ratio KMS/KDC $(awk -v a="$kms_m" -v b="$kdc_m" 'BEGIN { printf "%.2f", a / b }');" \
    "rounds from ${sorted_ratios[0]} to ${sorted_ratios[-1]};" \
    "load average $(cut -d' ' -f1 /proc/loadavg) at the end"
