--TEST--
A rustenc file opens with plain PHP following docs/FORMAT.md (an independent reader)
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
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
session_start();
$id = session_id();
$_SESSION['user'] = 'alice';
$_SESSION['roles'] = ['admin', 'dev'];
$expected = session_encode();
session_write_close();

// Everything below follows docs/FORMAT.md and nothing else.
$secret = base64_decode(getenv('RUSTENC_TEST_KEY'));
$key = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');
$key_id = hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc');

$file = file_get_contents("$dir/rustenc_$id");
var_dump(strlen($file) === strlen($expected) + 49);
var_dump(substr($file, 0, 4), ord($file[4]));
var_dump(substr($file, 5, 8) === $key_id);
$sealed_at = unpack('J', substr($file, 13, 8))[1];
var_dump(abs(time() - $sealed_at) < 60);
$nonce = substr($file, 21, 12);
$tag = substr($file, -16);
$ciphertext = substr($file, 33, -16);
$aad = substr($file, 0, 21) . $id;
$plain = openssl_decrypt($ciphertext, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $nonce, $tag, $aad);
var_dump($plain === $expected);

// Bound to the id: the same file does not open as another id's.
var_dump(openssl_decrypt($ciphertext, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $nonce, $tag, substr($file, 0, 21) . 'x' . $id));

// And rustenc reads a file sealed by this independent writer.
$id2 = 'independentwriter0123456789abcdef';
$data = 'written|s:2:"by";';
$header = 'RENC' . chr(1) . $key_id . pack('J', time());
$nonce = random_bytes(12);
$ct = openssl_encrypt($data, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $nonce, $tag, $header . $id2, 16);
file_put_contents("$dir/rustenc_$id2", $header . $nonce . $ct . $tag);
chmod("$dir/rustenc_$id2", 0600);
session_id($id2);
session_start();
var_dump(session_id() === $id2, $_SESSION);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
string(4) "RENC"
int(1)
bool(true)
bool(true)
bool(true)
bool(false)
bool(true)
array(1) {
  ["written"]=>
  string(2) "by"
}
