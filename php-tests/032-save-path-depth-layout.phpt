--TEST--
save_path "2;/dir": sessions go to dir/<c1>/<c2>/rustenc_<id>, subdirectories are created 0700
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
$dir = rustenc_setup(rustenc_test(), '2;');
ob_start(); // so session INI settings can still be changed below
// Quoted: on a -d command line, an unquoted ';' starts a comment.
$childIni = [];  // rustenc_child() passes this process's save_path, quoted
var_dump(ini_get('session.save_path') === "2;$dir");

session_start();
$id = session_id();
$_SESSION['deep'] = 'nested value';
var_dump(session_write_close());

$sub1 = "$dir/{$id[0]}";
$sub2 = "$sub1/{$id[1]}";
$file = "$sub2/rustenc_$id";
clearstatcache();
var_dump(is_file($file));
printf("%04o %04o %04o\n", fileperms($sub1) & 07777, fileperms($sub2) & 07777, fileperms($file) & 07777);
var_dump(substr(rustenc_envelope($file), 0, 4));
// Nothing at the top level but the first-level directory.
var_dump(array_values(array_diff(scandir($dir), ['.', '..'])) === [$id[0]]);
var_dump(array_values(array_diff(scandir($sub2), ['.', '..'])) === ["rustenc_$id"]);

// Another process with the same save_path reads it back (strict mode accepts it).
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump(session_id() === "' . $id . '", $_SESSION["deep"]); $_SESSION["deep"] .= "!"; session_write_close();', $childIni);

session_id($id);
session_start();
var_dump($_SESSION['deep']);
var_dump(session_destroy());
clearstatcache();
var_dump(file_exists($file));

// A second session whose id starts with other characters gets its own subdirectories.
session_id('');
ini_set('session.use_strict_mode', '0');
session_id('Zy0123456789abcdefghijklmnopqrst');
session_start();
$_SESSION['x'] = 1;
session_write_close();
clearstatcache();
var_dump(is_file("$dir/Z/y/rustenc_Zy0123456789abcdefghijklmnopqrst"));
printf("%04o %04o\n", fileperms("$dir/Z") & 07777, fileperms("$dir/Z/y") & 07777);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
0700 0700 0600
string(4) "RENC"
bool(true)
bool(true)
bool(true)
string(12) "nested value"
string(13) "nested value!"
bool(true)
bool(false)
bool(true)
0700 0700
