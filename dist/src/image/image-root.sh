#!/usr/bin/env bash
# Builds the root file system of the kmsconf container image without a base image or a registry:
#   <out>/opt/java      a Java runtime made by jlink from the build's JDK (only the modules kmsconf needs)
#   <out>/lib..., /lib64 the C libraries that runtime links to, copied from the build machine (glibc, zlib, ...)
#   <out>/etc           passwd/group (root, nonroot 65532), hosts, nsswitch.conf
#   <out>/tmp, <out>/var/lib/kmsconf
# Jib puts this under the application's layers (from "scratch"). The image runs on Linux of the build's
# architecture. Usage: image-root.sh JAVA_HOME MODULES OUT
set -euo pipefail
java_home="$1"; modules="$2"; out="$3"
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || jlink="$(dirname "$(readlink -f "$java_home/bin/java")")/jlink"
[ -x "$jlink" ] || { echo "image-root: no jlink next to $java_home (a JDK, not a JRE, is needed)" >&2; exit 1; }
command -v ldd >/dev/null || { echo "image-root: ldd is missing" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
"$jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$out/opt/java"
# The dynamic libraries every ELF file of the runtime needs, at the paths the loader looks for them.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \) -print0 |
  while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = "177ELF" ] || continue
    ldd "$f" 2>/dev/null | awk '/=> \// { print $3 } /^\s*\/[^ ]+ \(/ { print $1 }'
  done | sort -u | while read -r lib; do
    case "$lib" in "$out"/*) continue ;; esac
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done
[ -n "$(ls "$out"/lib64/ld-linux* "$out"/lib/ld-linux* 2>/dev/null)" ] ||
  { echo "image-root: ldd named no dynamic loader" >&2; exit 1; }
mkdir -p "$out/etc" "$out/tmp" "$out/var/lib/kmsconf"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/var/lib/kmsconf:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$out/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
# Jib copies directories only with a file in them
touch "$out/tmp/.keep" "$out/var/lib/kmsconf/.keep"
echo "image-root: $(du -sh "$out" | cut -f1) in $out (Java runtime: $modules)"
