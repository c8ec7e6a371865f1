--TEST--
A session sealed with a key that is neither current nor retired: strict mode issues a new id with "sealed with unknown key id <id>" and leaves the file; non-strict sets it aside and continues with an empty session under the same id; renamed back, its key opens it
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.lazy_write=1
session.gc_maxlifetime=86400
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

$keyA = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
$keyB = str_repeat('11', 32);
$keyC = base64_encode(str_repeat("\x42", 32));
$idC = bin2hex(hash_hkdf('sha256', base64_decode($keyC), 8, 'rustenc v1 key id', 'rustenc'));
$ring = ['RUSTENC_KEY' => $keyB, 'RUSTENC_PREVIOUS_KEYS' => $keyA];

$sid = trim(rustenc_child('session_start(); $_SESSION["user"] = "mallory"; echo session_id();', [], ['RUSTENC_KEY' => $keyC]));
$file = rustenc_file($dir, $sid);
$bytes = file_get_contents($file);
var_dump(bin2hex(substr(rustenc_newest($bytes)[1], 5, 8)) === $idC);
touch($file, time() - 60);
clearstatcache();
$mtime = filemtime($file);

echo "strict:\n";
$out = rustenc_child('session_id("' . $sid . '"); var_dump(session_start()); $new = session_id();'
    . ' var_dump($new !== "' . $sid . '", strlen($new) > 0, $_SESSION); $_SESSION["x"] = 1; session_write_close();',
    ['session.use_strict_mode' => '1'], $ring);
echo str_replace($sid, 'SID', $out);
var_dump(str_contains($out, "sealed with unknown key id $idC"));

echo "non-strict:\n";
$out = rustenc_child('session_id("' . $sid . '"); var_dump(session_start(), session_status() === PHP_SESSION_ACTIVE, $_SESSION);',
    ['session.use_strict_mode' => '0'], $ring);
echo str_replace($sid, 'SID', $out);
var_dump(str_contains($out, "sealed with unknown key id $idC"));
// Set aside, whole; the user has a new, empty session under the same id.
$aside = glob("$file.unreadable-*");
var_dump(count($aside) === 1 && file_get_contents($aside[0]) === $bytes);
echo rustenc_child('session_id("' . $sid . '"); session_start(); echo json_encode($_SESSION), "\n";', [], $ring);
// Restoring the key file: rename it back, and key C opens it.
rename($aside[0], $file);
// Key C itself still opens it.
echo rustenc_child('session_id("' . $sid . '"); session_start(); echo json_encode($_SESSION), "\n";', [], ['RUSTENC_KEY' => $keyC]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
bool(true)
strict:

Warning: session_start(): rustenc: session %s… cannot be read: sealed with unknown key id %x (not the configured key); the file was left untouched in Command line code on line 1
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
non-strict:

Warning: session_start(): rustenc: session %s… cannot be read: sealed with unknown key id %x (not the configured key); it was set aside as rustenc_%s….unreadable-%s in %s/rustenc-phpt-092 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in Command line code on line 1
bool(true)
bool(true)
array(0) {
}
bool(true)
bool(true)
[]
{"user":"mallory"}
