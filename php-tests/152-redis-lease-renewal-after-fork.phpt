--TEST--
Redis lock lease renewal: a session held for several leases keeps its lock, also in a pcntl_fork child of a process whose renewal thread already runs (the child starts its own; the parent's is not damaged)
--EXTENSIONS--
session
pcntl
--SKIPIF--
<?php
require __DIR__ . '/inc/redis.inc';
if (!rustenc_redis_binary()) die('skip redis-server is not installed (scripts/setup installs it)');
?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.save_handler=rustenc
display_errors=1
html_errors=0
rustenc.lock_lease_ms=300
rustenc.lock_timeout_ms=100
--FILE--
<?php
require __DIR__ . '/inc/redis.inc';
require __DIR__ . '/inc/rustenc.inc';
$port = rustenc_redis_start();
ini_set('session.save_path', "tcp://127.0.0.1:$port?prefix=lease:");

// Held for 3 leases: renewed, so another request cannot take it, and the
// write succeeds.
session_id('parent-before-fork-0123456789abcdef');
session_start();
usleep(900000);
echo rustenc_child('session_id("parent-before-fork-0123456789abcdef"); var_dump(session_start());');
$_SESSION['v'] = 'parent-1';
session_write_close();

// The renewal thread runs in this process; a forked child starts its own.
$pid = pcntl_fork();
if ($pid === 0) {
    session_id('forked-child-0123456789abcdef012345');
    session_start();
    usleep(900000);
    $_SESSION['v'] = 'child';
    session_write_close();
    echo "child done\n";
    // No shutdown functions (the parent's redis-server stays up).
    pcntl_exec('/bin/true');
}
pcntl_waitpid($pid, $status);
echo rustenc_child('session_id("forked-child-0123456789abcdef012345"); session_start(); echo $_SESSION["v"], "\n";');

session_id('parent-after-fork-0123456789abcdef0');
session_start();
usleep(900000);
$_SESSION['v'] = 'parent-2';
session_write_close();
echo rustenc_child('session_id("parent-after-fork-0123456789abcdef0"); session_start(); echo $_SESSION["v"], "\n";');
echo rustenc_child('session_id("parent-before-fork-0123456789abcdef"); session_start(); echo $_SESSION["v"], "\n";');
?>
--EXPECTF--
Warning: session_start(): rustenc: session parent… is locked by another request %s

Warning: session_start(): Failed to read session data: rustenc %s
bool(false)
child done
child
parent-2
parent-1
