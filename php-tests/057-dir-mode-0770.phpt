--TEST--
A session dir of mode 0770 (group-writable) is refused with chmod 0700
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
session_id('mode057session');
session_start();
$_SESSION['secret'] = 'kept';
session_write_close();
$file = rustenc_file($dir, 'mode057session');
$before = file_get_contents($file);

// ... is not served once the dir is 0770.
chmod($dir, 0770);
clearstatcache();
printf("%04o\n", fileperms($dir) & 07777);
$_SESSION = [];
session_id('mode057session');
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
0770

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-057 is mode 0770, writable by its group; run: chmod 0700 %s/rustenc-phpt-057 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-057) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-057 is mode 0770, writable by its group; run: chmod 0700 %s/rustenc-phpt-057 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-057) in %s on line %d
bool(false)
bool(true)
dir: ["rustenc_mode057session"]
