--TEST--
A world-writable session dir with the sticky bit (1777) is refused as a shared directory: the advice is a private session.save_path, never chmod
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
session_id('mode059session');
session_start();
$_SESSION['secret'] = 'kept';
session_write_close();
$file = rustenc_file($dir, 'mode059session');
$before = file_get_contents($file);

// ... is not served once the dir is 1777.
chmod($dir, 01777);
clearstatcache();
printf("%04o\n", fileperms($dir) & 07777);
$_SESSION = [];
session_id('mode059session');
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
1777

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-059 (mode 1777) is a shared directory: others can create files in it (sticky bit), as in Debian's /var/lib/php/sessions, which the files handler of other applications uses; rustenc keeps sessions only in a private directory, and changing its mode would break those applications: set session.save_path to a private directory instead (the Debian package creates /var/lib/php/rustenc; else run: install -d -m 0700 -o root /var/lib/php/rustenc) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-059) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-059 (mode 1777) is a shared directory: others can create files in it (sticky bit), as in Debian's /var/lib/php/sessions, which the files handler of other applications uses; rustenc keeps sessions only in a private directory, and changing its mode would break those applications: set session.save_path to a private directory instead (the Debian package creates /var/lib/php/rustenc; else run: install -d -m 0700 -o root /var/lib/php/rustenc) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-059) in %s on line %d
bool(false)
bool(true)
dir: ["rustenc_mode059session"]
