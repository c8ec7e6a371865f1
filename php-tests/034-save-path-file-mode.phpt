--TEST--
save_path "0;0640;/dir": new session files get mode 0640, also after a rewrite
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
umask(022);
$dir = rustenc_setup(rustenc_test(), '0;0640;');
ob_start(); // so session INI settings can still be changed below
// Quoted: on a -d command line, an unquoted ';' starts a comment.
$childIni = [];  // rustenc_child() passes this process's save_path, quoted

session_start();
$id = session_id();
$_SESSION['a'] = 1;
session_write_close();
$file = rustenc_file($dir, $id);
clearstatcache();
printf("%04o\n", fileperms($file) & 07777);

session_id($id);
session_start();
var_dump($_SESSION['a']);
$_SESSION['a'] = 2;
session_write_close();
clearstatcache();
printf("%04o\n", fileperms($file) & 07777);

echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION["a"]); $_SESSION["a"] = 3;', $childIni);
clearstatcache();
printf("%04o\n", fileperms($file) & 07777);
printf("dir %04o\n", fileperms($dir) & 07777);

// The default stays 0600.
ini_set('session.save_path', $dir);
session_id('');
session_start();
$other = session_id();
$_SESSION['b'] = 1;
session_write_close();
clearstatcache();
printf("%04o\n", fileperms(rustenc_file($dir, $other)) & 07777);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
0640
int(1)
0640
int(2)
0640
dir 0700
0600
