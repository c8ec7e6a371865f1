--TEST--
A session file with a second hard link is refused under both names; nothing is removed or rewritten
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
$dir = rustenc_setup(rustenc_test());
session_id('original082');
session_start();
$_SESSION['secret'] = 'alice';
session_write_close();
$file = rustenc_file($dir, 'original082');
$bytes = file_get_contents($file);

// Another id's name linked to the same inode.
link($file, rustenc_file($dir, 'second082'));
foreach (['second082', 'original082'] as $id) {
    $_SESSION = [];
    session_id($id);
    var_dump(session_start(), $_SESSION);
}
clearstatcache();
var_dump(stat($file)['nlink'], file_get_contents($file) === $bytes);
var_dump(is_file(rustenc_file($dir, 'second082')));

// Once the second name is gone, the session opens again.
unlink(rustenc_file($dir, 'second082'));
session_id('original082');
var_dump(session_start(), $_SESSION);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session file for id second… in %s/rustenc-phpt-082 is a hard link (2 names share it); refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-082) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session file for id origin… in %s/rustenc-phpt-082 is a hard link (2 names share it); refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-082) in %s on line %d
bool(false)
array(0) {
}
int(2)
bool(true)
bool(true)
bool(true)
array(1) {
  ["secret"]=>
  string(5) "alice"
}
