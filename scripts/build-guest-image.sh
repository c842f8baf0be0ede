#!/usr/bin/env bash
# Builds the Cirrus tiny guest from Debian packages only (apt-get download + dpkg-deb -x):
#   <out>/vmlinuz     kernel of linux-image-<abi>-amd64 (what linux-image-amd64 depends on)
#   <out>/vmlinux     the same kernel as uncompressed PVH ELF (qemu -kernel boots it without the
#                     decompressor: much faster under TCG; bigger file)
#   <out>/initrd.img  gzip'ed newc cpio: busybox-static, virtio/ACPI-button modules, deploy/guest/init
#   <out>/disk.qcow2  small empty qcow2, the image `server create --image` boots (kernel_id/ramdisk_id)
# Usage: scripts/build-guest-image.sh [--force] [--no-ssh] [OUTDIR]   (default OUTDIR: var/guest)
# Runs as root on Debian 12 (installs qemu-utils cpio xz-utils if missing; never installs a kernel
# or busybox-static on the host). Cached: does nothing when the outputs exist and the inputs
# (this script, deploy/guest/*, package versions) are unchanged.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GUEST_SRC=$ROOT/deploy/guest
FORCE=0 SSH=1 OUT=""
for a in "$@"; do
    case "$a" in
        --force) FORCE=1 ;;
        --no-ssh) SSH=0 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        -*) echo "build-guest-image: unknown option $a (see --help)" >&2; exit 2 ;;
        *) OUT=$a ;;
    esac
done
OUT=${OUT:-$ROOT/var/guest}
DISK_SIZE=${CIRRUS_GUEST_DISK_SIZE:-64M}
# Modules the guest loads (dependencies are added and ordered automatically; built-ins skipped).
WANTED_MODULES="virtio_pci virtio_blk virtio_net button evdev"

log() { echo "build-guest-image: $*"; }
die() { echo "build-guest-image: error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (needs apt-get and mknod for /dev/console in the initramfs)"
command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian 12 machine"

# --- host tools -------------------------------------------------------------------------------
missing=()
command -v qemu-img >/dev/null || missing+=(qemu-utils)
command -v cpio >/dev/null || missing+=(cpio)
command -v xz >/dev/null || missing+=(xz-utils)
command -v gzip >/dev/null || missing+=(gzip)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
        { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
        die "could not install ${missing[*]}"
fi

# --- package versions (the cache key) ---------------------------------------------------------
# One apt-cache call for all candidates (each call costs ~0.6 s): prints "<pkg> <version>" lines.
candidates() { apt-cache policy "$@" 2>/dev/null | awk '/^[^ ].*:$/ {p=substr($1, 1, length($1)-1)} /^  Candidate:/ && $2 != "(none)" {print p, $2}'; }
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$KPKG" ] || [ "$(candidates busybox-static | wc -l)" = 0 ]; then
    log "package lists lack linux-image-amd64/busybox-static: apt-get update"
    apt-get update >/dev/null || die "apt-get update failed"
    KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$KPKG" ] || die "linux-image-amd64 does not depend on a linux-image-<abi>-amd64 package"
PKGS=("$KPKG" busybox-static)
if [ "$SSH" = 1 ]; then PKGS+=(dropbear-bin libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g); fi
declare -A VER
while read -r p v; do VER[$p]=$v; done < <(candidates "${PKGS[@]}")
for p in "${PKGS[@]}"; do
    [ -n "${VER[$p]:-}" ] || die "no candidate version of $p (apt-get update? sources.list?)"
done
versions=$(for p in "${PKGS[@]}"; do echo "$p=${VER[$p]}"; done)
stamp=$( { cat "${BASH_SOURCE[0]}"; for f in $(ls "$GUEST_SRC" | grep -v "\.md$" | sort); do echo "== $f"; cat "$GUEST_SRC/$f"; done
           echo "$versions"; echo "disk=$DISK_SIZE modules=$WANTED_MODULES"; } | sha256sum | cut -d' ' -f1)

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ "$FORCE" = 0 ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ] && [ -s "$OUT/disk.qcow2" ] &&
   [ "$(cat "$OUT/.stamp" 2>/dev/null)" = "$stamp" ]; then
    log "up to date (inputs unchanged; --force rebuilds)"
    log "outputs: $OUT/vmlinuz $OUT/vmlinux $OUT/initrd.img $OUT/disk.qcow2"
    exit 0
fi

# --- download (cached per package version) and extract ------------------------------------------
CACHE=$OUT/.cache
WORK=$(mktemp -d "$OUT/.work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
for p in "${PKGS[@]}"; do
    d=$CACHE/$p/${VER[$p]}
    if ! ls "$d"/*.deb >/dev/null 2>&1; then
        mkdir -p "$d"
        log "apt-get download $p=${VER[$p]}"
        (cd "$d" && apt-get download -o APT::Sandbox::User=root "$p=${VER[$p]}" >/dev/null) ||
            die "apt-get download $p=${VER[$p]} failed"
    fi
    mkdir -p "$WORK/pkg/$p"
    if [ "$p" = "$KPKG" ]; then
        # Only the kernel and the module folders the guest draws from (writing all 390 MB takes 5 s);
        # visit() falls back to a full extraction if a dependency lives elsewhere.
        dpkg-deb --fsys-tarfile "$d"/*.deb | tar -x -C "$WORK/pkg/$p" --wildcards './boot/vmlinuz-*' \
            './lib/modules/*/modules.builtin' './lib/modules/*/kernel/drivers/virtio/*' \
            './lib/modules/*/kernel/drivers/block/*' './lib/modules/*/kernel/drivers/net/*' \
            './lib/modules/*/kernel/net/core/*' './lib/modules/*/kernel/drivers/acpi/*' \
            './lib/modules/*/kernel/drivers/input/*'
    else
        dpkg-deb -x "$d"/*.deb "$WORK/pkg/$p"
    fi
done
for p in "${PKGS[@]}"; do # drop cached debs of older versions
    for v in "$CACHE/$p"/*; do [ "${v##*/}" = "${VER[$p]}" ] || rm -rf "$v"; done
done

K=$WORK/pkg/$KPKG
KVER=$(ls "$K/lib/modules")
[ -f "$K/boot/vmlinuz-$KVER" ] || die "$KPKG has no /boot/vmlinuz-$KVER"
MODDIR=$K/lib/modules/$KVER

# --- kernel modules: dependency closure in load order, from each .ko's modinfo "depends=" -------
ko_path() { find "$MODDIR/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" -o -name "$1.ko.gz" \) | head -n 1; }
ko_deps() { # prints dependency names of module file $1
    case "$1" in
        *.xz) xz -dc "$1" ;; *.zst) zstd -dc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;;
    esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
is_builtin() { grep -q "/$1\.ko\$" "$MODDIR/modules.builtin" 2>/dev/null; }
declare -A SEEN
KFULL=0
ORDER=()
visit() {
    local m=${1//-/_} f dep
    [ -z "${SEEN[$m]:-}" ] || return 0
    SEEN[$m]=1
    if is_builtin "$m" || is_builtin "${m//_/-}"; then log "module $m is built into $KVER"; return 0; fi
    f=$(ko_path "$m"); [ -n "$f" ] || f=$(ko_path "${m//_/-}")
    if [ -z "$f" ] && [ "$KFULL" = 0 ]; then
        log "module $m is outside the partially extracted folders: extracting all of $KPKG"
        dpkg-deb -x "$CACHE/$KPKG/${VER[$KPKG]}"/*.deb "$K"
        KFULL=1
        f=$(ko_path "$m"); [ -n "$f" ] || f=$(ko_path "${m//_/-}")
    fi
    [ -n "$f" ] || die "module $m not found in $KPKG"
    for dep in $(ko_deps "$f"); do visit "$dep"; done
    ORDER+=("$m:$f")
}
for m in $WANTED_MODULES; do visit "$m"; done

# --- initramfs tree ---------------------------------------------------------------------------
R=$WORK/root
mkdir -p "$R"/{bin,sbin,dev,proc,sys,run,tmp,etc/acpi/PWRF,lib/modules,root,var}
ln -s ../run "$R/var/run"
cp "$WORK/pkg/busybox-static/bin/busybox" "$R/bin/busybox"
for a in $("$R/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$R/bin/$a"; done
: >"$R/lib/modules/load.order"
for e in "${ORDER[@]}"; do
    m=${e%%:*} f=${e#*:}
    case "$f" in
        *.xz) xz -dc "$f" ;; *.zst) zstd -dc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
    esac >"$R/lib/modules/$m.ko"
    echo "$m" >>"$R/lib/modules/load.order"
done
install -m 0755 "$GUEST_SRC/init" "$R/init"
install -m 0755 "$GUEST_SRC/udhcpc.script" "$R/etc/udhcpc.script"
install -m 0755 "$GUEST_SRC/acpi-power" "$R/etc/acpi/PWRF/00000080"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$R/etc/passwd"
printf 'root:*:19000:0:99999:7:::\n' >"$R/etc/shadow"; chmod 600 "$R/etc/shadow"
printf 'root:x:0:\n' >"$R/etc/group"
printf '/bin/sh\n/bin/ash\n' >"$R/etc/shells"
printf 'cirrus-guest\n' >"$R/etc/hostname"
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3

if [ "$SSH" = 1 ]; then
    # dropbear is dynamically linked: copy the libraries it resolves to inside the extracted packages.
    LIBROOT=$WORK/libroot
    mkdir -p "$LIBROOT"
    for p in "${PKGS[@]}"; do case "$p" in lib*|zlib*) cp -a "$WORK/pkg/$p/." "$LIBROOT/" ;; esac; done
    cp "$WORK/pkg/dropbear-bin/usr/sbin/dropbear" "$LIBROOT/dropbear"
    LDSO=$LIBROOT/lib64/ld-linux-x86-64.so.2
    [ -e "$LDSO" ] || die "libc6 package has no /lib64/ld-linux-x86-64.so.2"
    libs=$("$LDSO" --library-path "$LIBROOT/lib/x86_64-linux-gnu:$LIBROOT/usr/lib/x86_64-linux-gnu" \
        --list "$LIBROOT/dropbear" | awk '$2 == "=>" {print $3}')
    mkdir -p "$R/lib64" "$R/lib/x86_64-linux-gnu" "$R/usr/sbin" "$R/etc/dropbear"
    for l in $libs; do
        case "$l" in "$LIBROOT"/*) ;; *) die "dropbear resolved $l outside the extracted packages" ;; esac
        case "$l" in */ld-linux-x86-64.so.2) continue ;; esac
        cp -L "$l" "$R/lib/x86_64-linux-gnu/$(basename "$l")"
    done
    cp -L "$LDSO" "$R/lib64/ld-linux-x86-64.so.2"
    install -m 0755 "$LIBROOT/dropbear" "$R/usr/sbin/dropbear"
fi

# --- outputs (written to temporaries, then renamed) -----------------------------------------------
cp "$K/boot/vmlinuz-$KVER" "$OUT/vmlinuz.tmp"
(cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc --owner=0:0 --reproducible) |
    gzip -9 -n >"$OUT/initrd.img.tmp"
mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
# The same kernel as an uncompressed PVH ELF: qemu skips the decompressor (TCG boot 20 s -> 5 s).
if python3 "$GUEST_SRC/extract-pvh-vmlinux.py" "$OUT/vmlinuz" "$OUT/vmlinux.tmp"; then
    mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
else
    rm -f "$OUT/vmlinux.tmp" "$OUT/vmlinux"
    log "warning: no PVH vmlinux (see above); vmlinuz still works"
fi
mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
if [ ! -s "$OUT/disk.qcow2" ]; then
    qemu-img create -q -f qcow2 "$OUT/disk.qcow2.tmp" "$DISK_SIZE"
    mv "$OUT/disk.qcow2.tmp" "$OUT/disk.qcow2"
fi
{
    echo "kernel_release=$KVER"
    echo "$versions"
    echo "modules=$(tr '\n' ' ' <"$R/lib/modules/load.order")"
    echo "vmlinuz_bytes=$(stat -c %s "$OUT/vmlinuz")"
    [ -f "$OUT/vmlinux" ] && echo "vmlinux_bytes=$(stat -c %s "$OUT/vmlinux")"
    echo "initrd_bytes=$(stat -c %s "$OUT/initrd.img")"
    echo "cmdline=console=ttyS0 quiet panic=1"
} >"$OUT/manifest.txt"
echo "$stamp" >"$OUT/.stamp"
log "kernel $KVER ($KPKG ${VER[$KPKG]}), busybox-static ${VER[busybox-static]}$([ "$SSH" = 1 ] && echo ", dropbear-bin ${VER[dropbear-bin]}")"
log "modules: $(tr '\n' ' ' <"$R/lib/modules/load.order")"
log "outputs: $OUT/vmlinuz ($(du -h "$OUT/vmlinuz" | cut -f1)) $OUT/vmlinux ($(du -h "$OUT/vmlinux" 2>/dev/null | cut -f1)) $OUT/initrd.img ($(du -h "$OUT/initrd.img" | cut -f1)) $OUT/disk.qcow2 ($DISK_SIZE)"
