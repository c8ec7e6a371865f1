--TEST--
Redis save path through the session engine: round trip across processes, strict mode, lazy_write, regenerate_id, destroy; Redis holds neither the id nor the plaintext; a request that held the session past rustenc.lock_max_hold_ms (plus one lease) gets a warning from session_write_close() and does not overwrite the newer session
--EXTENSIONS--
session
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
session.use_strict_mode=1
session.cache_limiter=
session.save_handler=rustenc
display_errors=1
html_errors=0
--FILE--
<?php
require __DIR__ . '/inc/redis.inc';
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session_regenerate_id() needs headers not sent
$port = rustenc_redis_start();
ini_set('session.save_path', "tcp://127.0.0.1:$port?prefix=app:");

session_start();
$id = session_id();
$_SESSION['secret'] = 'plaintext-marker';
session_write_close();

// Another process reads it and adds to it.
echo rustenc_child('session_id($argv[1] ?? "' . $id . '"); session_start(); echo $_SESSION["secret"], "\n"; $_SESSION["n"] = 1;');
session_id($id);
session_start();
var_dump($_SESSION);
session_write_close(); // unchanged: lazy_write only extends the TTL

// Redis sees hashed names and sealed values only.
$keys = rustenc_redis_cmd($port, ['KEYS', '*']);
var_dump(substr_count($keys, 'app:{'), str_contains($keys, $id));
preg_match('/app:\{[0-9a-f]{32}\}/', $keys, $m);
$value = rustenc_redis_cmd($port, ['GET', $m[0]]);
var_dump(str_contains($value, 'RENC'), str_contains($value, 'plaintext-marker'), str_contains($value, $id));
$ttl = (int)substr(rustenc_redis_cmd($port, ['TTL', $m[0]]), 1);
var_dump($ttl > 1400 && $ttl <= 1440);

// Strict mode: an id the server did not issue is replaced.
session_id('notissuedbytheserver0123456789ab');
session_start();
var_dump(session_id() !== 'notissuedbytheserver0123456789ab', $_SESSION);
session_destroy();

// regenerate_id(true) moves the session and removes the old one.
session_id($id);
session_start();
session_regenerate_id(true);
$new = session_id();
session_write_close();
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION); session_destroy();');
echo rustenc_child('session_id("' . $new . '"); session_start(); echo $_SESSION["n"], "\n"; session_destroy();');
echo rustenc_redis_cmd($port, ['DBSIZE']);

// A request that holds the session past the renewal cap (and one more
// lease) loses it: the request that took over writes, and the late write is
// refused with a warning.
ini_set('rustenc.lock_lease_ms', '300');
ini_set('rustenc.lock_max_hold_ms', '100');
session_start();
$late = session_id();
$_SESSION['v'] = 'first';
session_write_close();
session_id($late);
session_start();
usleep(500000);
echo rustenc_child('session_id("' . $late . '"); session_start(); $_SESSION["v"] = "newer"; echo "took over\n";', ['rustenc.lock_lease_ms' => '300']);
$_SESSION['v'] = 'late';
session_write_close();
echo rustenc_child('session_id("' . $late . '"); session_start(); echo $_SESSION["v"], "\n";');
?>
--EXPECTF--
plaintext-marker
array(2) {
  ["secret"]=>
  string(16) "plaintext-marker"
  ["n"]=>
  int(1)
}
int(1)
bool(false)
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
array(0) {
}
array(0) {
}
1
:0
took over

Warning: session_write_close(): rustenc: session %s was not written: this request lost its lock on Redis/Valkey server 127.0.0.1:%d (held %d ms, lease 300 ms: rustenc.lock_lease_ms, renewed for at most 100 ms: rustenc.lock_max_hold_ms), so another request may have changed the session since; the newer session was kept. Make the request shorter, or raise rustenc.lock_max_hold_ms (or rustenc.lock_lease_ms if the server stalls) in %s on line %d

Warning: session_write_close(): Failed to write session data%s
newer
