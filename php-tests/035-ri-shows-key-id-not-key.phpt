--TEST--
php --ri rustenc shows "key => loaded, key id <16 hex>" (the id the files carry), never the key
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

function ri(array $env): string {
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '--ri', 'rustenc'];
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    proc_close($p);
    return $out;
}

$b64 = getenv('RUSTENC_TEST_KEY');
$raw = base64_decode($b64);
$out = ri(['RUSTENC_KEY' => $b64]);
var_dump(str_contains($out, 'rustenc support => enabled'));
var_dump((bool)preg_match('/^key => loaded, key id ([0-9a-f]{16})$/m', $out, $m));
$keyId = $m[1] ?? '';

// The key appears in no form.
foreach (['base64' => $b64, 'base64 start' => substr($b64, 0, 12), 'hex' => bin2hex($raw),
          'hex start' => substr(bin2hex($raw), 0, 16), 'raw' => $raw] as $form => $needle) {
    if (str_contains($out, $needle)) {
        echo "LEAK ($form)\n";
    }
}

// The id shown is the one in the header of the files this key writes.
session_start();
$_SESSION['x'] = 1;
$id = session_id();
session_write_close();
$bytes = file_get_contents(rustenc_file($dir, $id));
var_dump(bin2hex(substr(rustenc_newest($bytes)[1], 5, 8)) === $keyId);

// The same key given as 64 hex characters is the same key.
$out2 = ri(['RUSTENC_KEY' => bin2hex($raw)]);
var_dump(str_contains($out2, "key => loaded, key id $keyId"), str_contains($out2, bin2hex($raw)));

// Another key has another id.
$other = base64_encode(str_repeat("\x42", 32));
$out3 = ri(['RUSTENC_KEY' => $other]);
var_dump((bool)preg_match('/^key => loaded, key id ([0-9a-f]{16})$/m', $out3, $m3), ($m3[1] ?? '') !== $keyId);
var_dump(str_contains($out3, $other));

// A malformed key is reported without echoing it.
$bad = 'not-a-key-but-a-secret-password';
$out4 = ri(['RUSTENC_KEY' => $bad]);
var_dump(str_contains($out4, 'key => NOT LOADED: the key in RUSTENC_KEY is malformed'), str_contains($out4, 'secret-password'));

// No key at all.
$out5 = ri([]);
var_dump(str_contains($out5, 'key => NOT LOADED: no key: environment variable RUSTENC_KEY is not set'));
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
bool(true)
bool(false)
bool(true)
bool(true)
bool(false)
bool(true)
bool(false)
bool(true)
