--TEST--
NUL bytes, high bytes and UTF-8 survive the round trip to another process unchanged
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
$dir = rustenc_setup(rustenc_test());

$nul = "a\0b\0\0c";
$all = implode('', array_map('chr', range(0, 255)));
$utf8 = "Grüße, 世界 🔐 — ñ";
$key = "ключ\0x";

session_start();
$id = session_id();
$_SESSION['nul'] = $nul;
$_SESSION['all'] = $all;
$_SESSION['utf8'] = $utf8;
$_SESSION[$key] = 'value under a binary key';
var_dump(session_write_close());

$bytes = file_get_contents(rustenc_file($dir, $id));
var_dump(str_contains($bytes, "Grüße"), str_contains($bytes, $nul));

echo rustenc_child('session_id(' . var_export($id, true) . '); session_start();
echo bin2hex($_SESSION["nul"]), "\n";
echo md5($_SESSION["all"]), " ", strlen($_SESSION["all"]), "\n";
echo $_SESSION["utf8"], "\n";
echo bin2hex(implode(",", array_keys($_SESSION))), "\n";
echo $_SESSION["ключ\0x"], "\n";');

echo md5($all), "\n";
echo bin2hex(implode(',', ['nul', 'all', 'utf8', $key])), "\n";

// And back in this process, after the child rewrote it.
session_id($id);
session_start();
var_dump($_SESSION['nul'] === $nul, $_SESSION['all'] === $all, $_SESSION['utf8'] === $utf8);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
bool(false)
bool(false)
610062000063
e2c865db4162bed963bfaa9ef6ac18f0 256
Grüße, 世界 🔐 — ñ
6e756c2c616c6c2c757466382cd0bad0bbd18ed1870078
value under a binary key
e2c865db4162bed963bfaa9ef6ac18f0
6e756c2c616c6c2c757466382cd0bad0bbd18ed1870078
bool(true)
bool(true)
bool(true)
