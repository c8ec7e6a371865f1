--TEST--
A session dir of mode 0720 (group may write, not read) is refused
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

// A session written while the dir was 0700 ...
session_id('mode060session');
session_start();
$_SESSION['secret'] = 'kept';
session_write_close();
$file = rustenc_file($dir, 'mode060session');
$before = file_get_contents($file);

// ... is not served once the dir is 0720.
chmod($dir, 0720);
clearstatcache();
printf("%04o\n", fileperms($dir) & 07777);
$_SESSION = [];
session_id('mode060session');
var_dump(session_start());
var_dump($_SESSION);
// Nor is a new session created there.
session_id('');
var_dump(session_start());
var_dump(file_get_contents($file) === $before);
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
0720

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-060 is mode 0720, writable by its group; run: chmod 0700 %s/rustenc-phpt-060 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-060) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-060 is mode 0720, writable by its group; run: chmod 0700 %s/rustenc-phpt-060 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-060) in %s on line %d
bool(false)
bool(true)
dir: ["rustenc_mode060session"]
