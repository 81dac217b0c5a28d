#!/bin/sh
# Install what rrstat-top needs to build and test on Debian 12 (run as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="build-essential autoconf automake autopoint gettext pkg-config
libncurses-dev libelf-dev libdw-dev libiberty-dev libcapstone-dev
g++ tmux linux-perf procps libc6-dbg nodejs rustc python3 binutils
zlib1g-dev golang-go libdebuginfod-dev debuginfod locales"
apt_flags="-y -q -o Dpkg::Use-Pty=0 --no-install-recommends"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (or through sudo)" >&2
	exit 1
fi
apt-get update -q
# shellcheck disable=SC2086
apt-get install $apt_flags $pkgs
# The German translation's tests (tests/ui/i18n-de.sh) run in de_DE.UTF-8.
locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\{0,1\}8' ||
	localedef -i de_DE -f UTF-8 de_DE.UTF-8
