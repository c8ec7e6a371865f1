--TEST--
A session sealed with key A is refused by a process with key B as "unknown key id" (the file's key id) and set aside unchanged; renamed back, key A's process reads it again
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
$keyB = str_repeat('11', 32);
$id = 'wrongkey077';
$file = rustenc_file($dir, $id);

// Key B writes.
echo rustenc_child('session_id("' . $id . '"); session_start(); $_SESSION["user"] = "bob"; session_write_close();',
    [], ['RUSTENC_KEY' => $keyB]);
$bytes = file_get_contents($file);
$keyIdB = bin2hex(substr(rustenc_newest($bytes)[1], 5, 8));

// Key A (this process) reads: refused, naming the file's key id.
ob_start();
session_id($id);
var_dump(session_start());
$out = ob_get_clean();
echo $out;
var_dump(str_contains($out, "unknown key id $keyIdB "));
var_dump($_SESSION ?? null);
session_write_close();
// Set aside whole; renaming it back restores it (as after restoring key B).
$aside = glob("$file.unreadable-*");
var_dump(count($aside) === 1 && file_get_contents($aside[0]) === $bytes);
rename($aside[0], $file);

// Strict mode: a new id; the file is not replaced.
ini_set('session.use_strict_mode', '1');
session_id($id);
var_dump(session_start(), session_id() !== $id);
session_write_close();

// Key A's own files carry another key id.
session_id('ownkey077');
ini_set('session.use_strict_mode', '0');
session_start();
session_write_close();
var_dump(bin2hex(substr(rustenc_envelope(rustenc_file($dir, 'ownkey077')), 5, 8)) !== $keyIdB);

clearstatcache();
var_dump(file_get_contents($file) === $bytes);
// Key B still reads its session.
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION);', [], ['RUSTENC_KEY' => $keyB]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session wrongk… cannot be read: sealed with unknown key id 743bfde7a27e3631 (not the configured key); it was set aside as rustenc_wrongk….unreadable-%s in %s/rustenc-phpt-077 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session in %s on line %d
bool(true)
bool(true)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session wrongk… cannot be read: sealed with unknown key id 743bfde7a27e3631 (not the configured key); the file was left untouched in %s on line %d
bool(true)
bool(true)
bool(true)
bool(true)
array(1) {
  ["user"]=>
  string(3) "bob"
}
