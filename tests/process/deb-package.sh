#!/usr/bin/env bash
# The Debian package: builds it with scripts/deb, runs lintian (any error
# fails; warnings are printed), and checks what the package holds without
# installing it: the file list (Debian's PHP extension layout), Depends on the
# PHP API the extension was built for, the ini (module loaded, settings and
# their defaults commented, save_handler not switched), the maintainer scripts
# (enmod/dismod, the session directory, purge), the gc timer and the cron.d
# fallback. Installing it for real is scripts/deb-install-test (debootstrap).
# The package is php<X.Y>-rustenc for the PHP php-config reports (Debian 12:
# 8.2, Debian 13: 8.4, in scripts/php-root's root); lintian is that release's.
# Exit 0 = pass. Installs lintian if it is missing.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

fails=0
pass() { echo "PASS deb: $*"; }
fail() { echo "FAIL deb: $*"; fails=$((fails + 1)); }
check() { # check "description" command...
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

deb=$(scripts/deb) || { echo "FAIL deb: scripts/deb did not build the package"; exit 1; }
echo "built $deb"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v lintian >/dev/null; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends lintian >/dev/null
fi
lintian --pedantic --display-info "$deb" >"$tmp/lintian" 2>&1
cat "$tmp/lintian"
check "lintian reports no errors" sh -c "! grep -q '^E:' '$tmp/lintian'"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
php_version=$(php-config --version | cut -d. -f1,2)
pkg=php$php_version-rustenc
cron_name=${pkg//./_}
# Debian 13's debhelper installs systemd units under /usr (merged /usr).
units_dir=/usr/lib/systemd/system
[ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" != bookworm ] || units_dir=/lib/systemd/system
phpapi=$(php-config --phpapi)
extdir=$(php-config --extension-dir)
field() { dpkg-deb -f "$deb" "$1"; }
check "file name is ${pkg}_${version}_amd64.deb" test "$(basename "$deb")" = "${pkg}_${version}_amd64.deb"
check "Package/Version/Architecture" test "$(field Package) $(field Version) $(field Architecture)" = "$pkg $version amd64"
depends=$(field Depends)
echo "Depends: $depends"
check "Depends pins phpapi-$phpapi" grep -Eq "(^|, )phpapi-$phpapi(,|$)" <<<"$depends"
check "Depends on php$php_version-common" grep -Eq "(^|, )php$php_version-common(,|$)" <<<"$depends"
check "Depends on php$php_version-cli (runs the gc)" grep -Eq "(^|, )php$php_version-cli(,|$)" <<<"$depends"
check "Depends on libc6 (shlibs)" grep -Eq "(^|, )libc6 " <<<"$depends"

# Contents: exactly these files (directories aside).
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $1, $6 }' | sort >"$tmp/contents"
cat "$tmp/contents"
sort >"$tmp/expected" <<EOF
-rw-r--r-- $extdir/rustenc.so
-rw-r--r-- /etc/php/$php_version/mods-available/rustenc.ini
-rw-r--r-- /etc/cron.d/$cron_name
-rw-r--r-- $units_dir/$pkg-gc.service
-rw-r--r-- $units_dir/$pkg-gc.timer
-rwxr-xr-x /usr/lib/php/$php_version/rustenc-gc
-rwxr-xr-x /usr/sbin/rustenc-check
-rw-r--r-- /usr/share/$pkg/rustenc-check.php
-rw-r--r-- /usr/share/doc/$pkg/README.Debian
-rw-r--r-- /usr/share/doc/$pkg/README.md
-rw-r--r-- /usr/share/doc/$pkg/changelog.gz
-rw-r--r-- /usr/share/doc/$pkg/copyright
EOF
# dh_compress gzips documents larger than 4 kB.
sed -i -E "s,^(.* /usr/share/doc/$pkg/README\\.(Debian|md))\\.gz\$,\\1," "$tmp/contents"
check "contents and modes are Debian's PHP extension layout" diff -u "$tmp/expected" "$tmp/contents"
check "owned by root" sh -c "! dpkg-deb -c '$deb' | awk '{ print \$2 }' | grep -vqx root/root"

mkdir "$tmp/root" "$tmp/control"
dpkg-deb -x "$deb" "$tmp/root"
dpkg-deb -e "$deb" "$tmp/control"
so=$tmp/root$extdir/rustenc.so
check "conffiles: the ini and the cron.d file" diff -u \
    <(printf '%s\n' /etc/cron.d/$cron_name /etc/php/$php_version/mods-available/rustenc.ini) \
    <(sort "$tmp/control/conffiles")

# The packaged extension loads, and the ini's commented defaults are its own.
check "packaged rustenc.so loads and has rustenc_gc()" \
    test "$(php -n -d extension="$so" -r 'echo extension_loaded("rustenc") && function_exists("rustenc_gc") ? "yes" : "no";' 2>&1)" = yes
ini=$tmp/root/etc/php/$php_version/mods-available/rustenc.ini
check "ini loads extension=rustenc.so" grep -qx 'extension=rustenc.so' "$ini"
# Every rustenc.* setting of the module, commented with the module's default.
php -n -d extension="$so" -r 'foreach (ini_get_all("rustenc", false) as $k => $v) echo "$k=$v\n";' >"$tmp/settings"
check "the module has rustenc.* settings" grep -q '^rustenc.key_env=RUSTENC_KEY$' "$tmp/settings"
while IFS='=' read -r setting default; do
    check "ini has $setting commented with its default (${default:-empty})" \
        grep -Eqx ";$setting =( $default)?" "$ini"
done <"$tmp/settings"
check "ini sets nothing but extension=" \
    test "$(grep -Ev '^[[:space:]]*(;|$)' "$ini")" = "extension=rustenc.so"
check "ini explains how to switch save_handler" grep -qx ';session.save_handler = rustenc' "$ini"
check "ini has the session dir" grep -qx ';session.save_path = "/var/lib/php/rustenc"' "$ini"
for rec in 'session.use_strict_mode = 1' 'session.cookie_httponly = 1' 'session.cookie_secure = 1' \
    'session.cookie_samesite = Lax'; do
    check "ini recommends $rec" grep -qx ";$rec" "$ini"
done
if dpkg --compare-versions "$php_version" lt 8.4; then
    sid=$(sed -n 's/^;session.sid_length = \([0-9]*\)$/\1/p' "$ini")
    check "ini recommends session.sid_length >= 32 (${sid:-none})" test "${sid:-0}" -ge 32
else
    # PHP 8.4 deprecates both: no advice to set them, in the ini or README.Debian.
    check "ini does not recommend session.sid_length or sid_bits_per_character (PHP $php_version)" \
        sh -c "! grep -Eq '^;session\.sid_(length|bits_per_character) *=' '$ini'"
fi
check "the ini parses and loads the packaged module, with no warning" test "$(PHP_INI_SCAN_DIR='' php -c "$ini" \
    -d extension_dir="$tmp/root$extdir" -r 'echo extension_loaded("rustenc") ? "loaded" : "not loaded";' 2>&1)" = loaded

# Maintainer scripts.
c=$tmp/control
for s in preinst postinst prerm postrm; do
    check "$s is valid sh" sh -n "$c/$s"
done
check "postinst enables the module for PHP $php_version (php_invoke enmod / phpenmod)" \
    sh -c "grep -q 'php_invoke enmod' '$c/postinst' && grep -q 'for name in rustenc' '$c/postinst' && grep -q 'for version in $php_version' '$c/postinst' && grep -q 'phpenmod' '$c/postinst'"
check "postinst creates /var/lib/php/rustenc www-data 0700 only if missing" \
    sh -c "grep -q 'if \[ ! -e /var/lib/php/rustenc \]' '$c/postinst' && grep -q 'install -d -m 0700 -o www-data -g www-data /var/lib/php/rustenc' '$c/postinst'"
check "postinst enables and starts the gc timer" \
    sh -c "grep -q \"deb-systemd-helper enable '$pkg-gc.timer'\" '$c/postinst' && grep -q \"deb-systemd-invoke \\\$_dh_action '$pkg-gc.timer'\" '$c/postinst'"
check "postrm disables the module on remove" \
    sh -c "grep -q 'if \[ \"\$1\" = \"remove\" \]' '$c/postrm' && grep -q 'php_invoke dismod' '$c/postrm'"
check "postrm removes /var/lib/php/rustenc on purge (only there)" \
    sh -c "awk '/= \"purge\"/ { p = 1 } p && /rm -rf \/var\/lib\/php\/rustenc\$/ { f = 1 } END { exit !f }' '$c/postrm' && test \$(grep -c 'rm -rf /var/lib/php/rustenc' '$c/postrm' '$c/prerm' '$c/postinst' '$c/preinst' | awk -F: '{ s += \$2 } END { print s }') -eq 1"
check "no maintainer script switches session.save_handler" sh -c "! grep -q save_handler '$c/postinst' '$c/preinst'"

# The gc: a timer every 30 minutes, its service runs the gc script, cron only
# without systemd.
units=$tmp/root$units_dir
check "timer runs every 30 minutes" grep -Eqx 'OnCalendar=\*-\*-\* \*:([0-9]{2}),([0-9]{2}):00' "$units/$pkg-gc.timer"
minutes=$(sed -n 's/^OnCalendar=.*:\([0-9]*\),\([0-9]*\):00$/\1 \2/p' "$units/$pkg-gc.timer")
check "timer minutes are 30 apart ($minutes)" test "$(awk '{ print $2 - $1 }' <<<"$minutes")" = 30
check "timer is installed into timers.target" grep -qx 'WantedBy=timers.target' "$units/$pkg-gc.timer"
check "service runs the gc script" grep -qx "ExecStart=/usr/lib/php/$php_version/rustenc-gc" "$units/$pkg-gc.service"
check "gc script is valid sh" sh -n "$tmp/root/usr/lib/php/$php_version/rustenc-gc"
check "gc script calls rustenc_gc() with each SAPI's save_path and gc_maxlifetime" \
    sh -c "grep -q 'rustenc_gc(\$argv\[1\], (int) \$argv\[2\])' '$tmp/root/usr/lib/php/$php_version/rustenc-gc' && grep -q 'session.gc_maxlifetime' '$tmp/root/usr/lib/php/$php_version/rustenc-gc'"
cron=$tmp/root/etc/cron.d/$cron_name
check "cron.d line every 30 minutes at the timer's minutes, only without systemd" \
    grep -Eqx "${minutes/ /,} +\* +\* +\* +\* +root +\[ -x /usr/lib/php/$php_version/rustenc-gc \] && if \[ ! -d /run/systemd/system \]; then /usr/lib/php/$php_version/rustenc-gc >/dev/null; fi" "$cron"
check "cron.d file name is valid for cron (letters, digits, - and _)" \
    grep -Eqx '[A-Za-z0-9_-]+' <<<"$(basename "$cron")"
check "README.Debian explains the key for php-fpm and the switch" \
    sh -c "zcat -f '$tmp/root/usr/share/doc/$pkg/README.Debian'* >'$tmp/readme' && grep -q EnvironmentFile= '$tmp/readme' && grep -q clear_env '$tmp/readme' && grep -q 'session.save_handler = rustenc' '$tmp/readme'"
check "README.Debian names this PHP's paths (php$php_version-fpm, /etc/php/$php_version)" \
    sh -c "grep -q 'systemctl restart php$php_version-fpm' '$tmp/readme' && grep -q '/etc/php/$php_version/fpm/rustenc.env' '$tmp/readme'"
if ! dpkg --compare-versions "$php_version" lt 8.4; then
    check "README.Debian does not recommend setting session.sid_length (PHP $php_version)" \
        sh -c "! grep -Eqi 'sid_length (=|to|is below|until)' '$tmp/readme'"
fi
# The templates of debian/ (*.in) are filled in for this version everywhere.
check "no unfilled template marker (@PHP_VERSION@, @before-8.4@, ...) in the package" \
    sh -c "! { cat '$tmp/readme'; find '$tmp/root' '$tmp/control' -type f ! -name '*.gz' ! -name '*.so' -exec cat {} +; } | grep -Eq '@(PHP_VERSION|CRON_NAME)@|@(before|since)-[0-9]'"

echo "deb-package: $fails failed"
[ "$fails" -eq 0 ]
