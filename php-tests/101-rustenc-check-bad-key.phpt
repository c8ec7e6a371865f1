--TEST--
rustenc_check() without a usable key: ok false, key.ok false with the reason (no key, malformed current or retired key, never the value), probe "not tried: no key", no warning
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$good = ['session.use_strict_mode' => '1', 'session.sid_length' => '32', 'session.use_only_cookies' => '1'];
$code = '$r = rustenc_check();'
    . ' echo json_encode(["ok" => $r["ok"], "key.ok" => $r["key"]["ok"], "key.id" => $r["key"]["id"],'
    . ' "directory.ok" => $r["directory"]["ok"], "settings.ok" => $r["settings"]["ok"],'
    . ' "probe.ok" => $r["probe"]["ok"], "probe.error" => $r["probe"]["error"]]), "\n", $r["key"]["error"], "\n";';

$cases = [
    'no key' => ['RUSTENC_KEY' => ''],
    'malformed key' => ['RUSTENC_KEY' => 'correct-horse-battery-staple'],
    'malformed retired key' => ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY'), 'RUSTENC_PREVIOUS_KEYS' => 'correct-horse-battery-staple'],
];
foreach ($cases as $name => $env) {
    echo "-- $name\n";
    $out = rustenc_child($code, $good, $env);
    echo $out;
    var_dump(str_contains($out, 'horse'));
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
-- no key
{"ok":false,"key.ok":false,"key.id":null,"directory.ok":true,"settings.ok":true,"probe.ok":false,"probe.error":"not tried: no key"}
no key: environment variable RUSTENC_KEY is not set (or empty); set it to 32 random bytes as base64 or 64 hex characters, e.g. RUSTENC_KEY=$(head -c 32 /dev/urandom | base64), in the environment PHP starts in (for php-fpm: the master's, e.g. a systemd drop-in with EnvironmentFile=), then restart
bool(false)
-- malformed key
{"ok":false,"key.ok":false,"key.id":null,"directory.ok":true,"settings.ok":true,"probe.ok":false,"probe.error":"not tried: no key"}
the key in RUSTENC_KEY is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64
bool(false)
-- malformed retired key
{"ok":false,"key.ok":false,"key.id":null,"directory.ok":true,"settings.ok":true,"probe.ok":false,"probe.error":"not tried: no key"}
the key in RUSTENC_PREVIOUS_KEYS (entry 1) is malformed: it does not have the length of 32 bytes in base64 (44) or hex (64); expected 32 bytes as standard base64 (44 characters) or 64 hex characters; generate one with: head -c 32 /dev/urandom | base64
bool(false)
dir: []
