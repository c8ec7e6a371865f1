# /etc/cron.d/php8_2-rustenc: crontab fragment for php8.2-rustenc
#  Removes expired rustenc sessions every 30 minutes, on systems without
#  systemd; where systemd runs, php8.2-rustenc-gc.timer does it and this
#  line does nothing. See /usr/lib/php/8.2/rustenc-gc.

19,49 *     * * *     root   [ -x /usr/lib/php/8.2/rustenc-gc ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/8.2/rustenc-gc >/dev/null; fi
