--TEST--
A session held by another request: session_start() gives up after rustenc.lock_timeout_ms with a warning; a longer timeout waits and sees the holder's data
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
rustenc.lock_timeout_ms=300
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$id = 'locked088abcdef';
session_id($id);
session_start();
$_SESSION['by'] = 'parent';
session_write_close();

// The holder starts the session, marks that it holds it, keeps it 3 s, then writes.
$code = 'session_id("' . $id . '"); session_start(); touch("' . $dir . '/held"); sleep(3); $_SESSION["by"] = "holder"; session_write_close();';
$args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'rustenc.check_settings=0', '-d', 'session.save_handler=rustenc',
    '-d', "session.save_path=$dir", '-d', 'session.use_cookies=0', '-d', 'session.cache_limiter=',
    '-d', 'display_errors=1', '-r', $code];
$holder = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);
for ($i = 0; $i < 1000 && !file_exists("$dir/held"); $i++) {
    usleep(10000);
}
var_dump(file_exists("$dir/held"));

$t = microtime(true);
session_id($id);
var_dump(session_start());
$waited = microtime(true) - $t;
var_dump($waited >= 0.29 && $waited < 2.5);
var_dump(session_status() === PHP_SESSION_NONE, $_SESSION);

// With enough time, the request waits for the holder and sees what it wrote.
ini_set('rustenc.lock_timeout_ms', '20000');
session_id($id);
var_dump(session_start());
var_dump($_SESSION['by']);
session_write_close();
echo stream_get_contents($pipes[1]);
proc_close($holder);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(true)

Warning: session_start(): rustenc: session locked… is locked by another request and the lock was not released within 300 ms (rustenc.lock_timeout_ms); the request stops here rather than run without the lock in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-088) in %s on line %d
bool(false)
bool(true)
bool(true)
array(0) {
}
bool(true)
string(6) "holder"
