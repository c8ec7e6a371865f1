#!/usr/bin/env bash
# The Debian package installed for real: scripts/deb-install-test builds the
# .deb, debootstraps a fresh Debian 12 root, installs PHP and the package
# there, and checks php-fpm sessions, the gc timer, remove and purge
# (about 1-3 minutes; needs root and Debian's mirror).
exec "$(dirname "$0")/../../scripts/deb-install-test"
