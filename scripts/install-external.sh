#!/usr/bin/env bash
# Installs and starts what the tests of the "external" Maven profile need (run as root, Debian):
#   PostgreSQL on 127.0.0.1:5432 (trust auth), sip-tester (sipp), libsrtp2-dev + gcc, tshark, openssl, for the
#   KMS's local-access test (run as root) useradd/userdel/runuser and /usr/bin/python3 to act as another local user,
#   chromium + chromium-driver (the conference console's browser test, driven by selenium-java), systemd-analyze
#   and unshare (the release's tests), nftables and iproute2 (the SIP flood behind the release's packet filter).
# Safe to run again: it installs only what is missing and starts PostgreSQL only when it is down.
set -euo pipefail
need=()
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
command -v tshark >/dev/null 2>&1 || need+=(tshark)
# openssl s_client / s_server (TLS 1.3 external PSK interop of BFCP over TLS, control module)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# python3 with 'cryptography' for mikey/src/test/python/verify_transcript.py (TranscriptVerifierTest)
/usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || need+=(python3-cryptography)
[ -f /usr/include/srtp2/srtp.h ] || need+=(libsrtp2-dev)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
# LocalAccessTest: a throwaway local user (passwd: useradd/userdel; util-linux: runuser)
command -v useradd >/dev/null 2>&1 || need+=(passwd)
command -v runuser >/dev/null 2>&1 || need+=(util-linux)
[ -x /usr/bin/python3 ] || need+=(python3-minimal)
# headless Chromium and its WebDriver for the ops module's ConsoleBrowserTest (Debian packages: selenium-java never
# downloads a browser or a driver, it is pointed at /usr/bin/chromedriver)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
# the release's tests: systemd-analyze verifies the systemd units; unshare and chroot run the container image's
# layers as a container runtime would (there is no Docker engine)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
# the SIP flood behind the release's packet filter (bench KernelFilterFloodTest): nft and ip in a network namespace
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || need+=(nftables)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-external: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "install-external: starting PostgreSQL"
  ver="$(ls /etc/postgresql | sort -V | tail -n 1)"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "install-external: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
# A database of its own for the KMS tests.
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='kmsconf_test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE kmsconf_test"
echo "install-external: ready (sipp, tshark, openssl, libsrtp2, PostgreSQL, useradd/runuser, chromium + chromedriver, systemd-analyze, unshare, nft)"
