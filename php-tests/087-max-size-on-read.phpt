--TEST--
rustenc.max_size: a session file holding more than the limit is refused at read (both modes) and kept
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
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start(); // session INI stays changeable after output
$dir = rustenc_setup(rustenc_test());

// Written under the default limit: 2000 bytes, exactly 1000 bytes, 1001 bytes serialized.
foreach (['big087' => 1989, 'exact087' => 989, 'over087' => 990] as $id => $n) {
    session_id($id);
    session_start();
    $_SESSION = ['b' => str_repeat('z', $n)];
    session_write_close();
}
$big = file_get_contents(rustenc_file($dir, 'big087'));

ini_set('rustenc.max_size', '1000');
foreach (['big087', 'exact087', 'over087'] as $id) {
    $_SESSION = [];
    session_id($id);
    $ok = session_start();
    var_dump($ok, strlen($_SESSION['b'] ?? ''));
    session_write_close();
}
ini_set('session.use_strict_mode', '1');
session_id('big087');
var_dump(session_start(), session_id() !== 'big087', $_SESSION);
session_write_close();

clearstatcache();
var_dump(file_get_contents(rustenc_file($dir, 'big087')) === $big);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session big087… is 2001 bytes, more than rustenc.max_size (1000 bytes); raise rustenc.max_size or store less in $_SESSION (the stored session was left as it was) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-087) in %s on line %d
bool(false)
int(0)
bool(true)
int(989)

Warning: session_start(): rustenc: session over08… is 1001 bytes, more than rustenc.max_size (1000 bytes); %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-087) in %s on line %d
bool(false)
int(0)

Warning: session_start(): rustenc: session big087… is 2001 bytes, more than rustenc.max_size (1000 bytes); %s
bool(true)
bool(true)
array(0) {
}
bool(true)
