--TEST--
"N;MODE;/path" puts sessions N levels deep (subdirectories 0700) with file mode MODE, readable by another process
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
$dir = rustenc_setup(rustenc_test(), '2;0640;');
umask(022);

session_id('xy068depth');
var_dump(session_start());
$_SESSION['deep'] = 'yes';
var_dump(session_write_close());

clearstatcache();
$file = "$dir/x/y/rustenc_xy068depth";
var_dump(is_file($file), file_exists(rustenc_file($dir, 'xy068depth')));
printf("x %04o, y %04o, file %04o\n", fileperms("$dir/x") & 07777, fileperms("$dir/x/y") & 07777, fileperms($file) & 07777);

echo rustenc_child('session_id("xy068depth"); var_dump(session_start(), $_SESSION);');

// An id no longer than N cannot be placed.
session_id('xy');
var_dump(session_start());
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(false)
x 0700, y 0700, file 0640
bool(true)
array(1) {
  ["deep"]=>
  string(3) "yes"
}

Warning: session_start(): rustenc: session id xy… is invalid: it is not longer than the save_path depth N; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: 2;0640;%s/rustenc-phpt-068) in %s on line %d
bool(false)
