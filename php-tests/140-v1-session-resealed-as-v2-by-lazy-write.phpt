--TEST--
A format version 1 session (written by the independent PHP writer of phpt 002, as rustenc 0.1 wrote them) is served, and a request that leaves it unchanged (lazy_write) rewrites it as version 2 with the same data
--EXTENSIONS--
session
openssl
hash
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.lazy_write=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

// Version 1, as docs/FORMAT.md describes it (the writer of phpt 002).
$secret = base64_decode(getenv('RUSTENC_TEST_KEY'));
$key_id = hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc');
$key_v1 = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');
$id = 'version1sessionabcdef0123456789';
$data = 'user|s:5:"alice";n|i:7;';
$header = 'RENC' . chr(1) . $key_id . pack('J', time());
$nonce = random_bytes(12);
$ct = openssl_encrypt($data, 'aes-256-gcm', $key_v1, OPENSSL_RAW_DATA, $nonce, $tag, $header . $id, 16);
$file = rustenc_file($dir, $id);
file_put_contents($file, $header . $nonce . $ct . $tag);
chmod($file, 0600);
$v1 = file_get_contents($file);
echo "before: version ", ord($v1[4]), ", ", strlen($v1), " bytes\n";

// A request that reads the session and changes nothing: lazy_write calls
// update_timestamp, which must reseal a version 1 file rather than touch it.
echo rustenc_child('session_id(' . var_export($id, true) . '); session_start();
echo json_encode($_SESSION), "\n"; session_write_close();');

clearstatcache();
$v2 = file_get_contents($file);
$envelope = rustenc_newest($v2)[1];
echo "after: ", substr($v2, 0, 4), " slot file, envelope version ", ord($envelope[4]), ", ", strlen($envelope), " bytes\n";
var_dump(strlen($envelope) === strlen($data) + 73);

// The next request sees the same data; the file now only gets touched.
echo rustenc_child('session_id(' . var_export($id, true) . '); session_start();
echo json_encode($_SESSION), "\n"; session_write_close();');
clearstatcache();
var_dump(file_get_contents($file) === $v2);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
before: version 1, 72 bytes
{"user":"alice","n":7}
after: RENS slot file, envelope version 2, 96 bytes
bool(true)
{"user":"alice","n":7}
bool(true)
