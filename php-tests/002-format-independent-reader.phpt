--TEST--
rustenc files open with plain PHP following docs/FORMAT.md, and rustenc opens files written that way (an independent reader and writer of versions 2 and 1)
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
$key_id = hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc');
$subkey = fn(string $salt) => hash_hkdf('sha256', $secret, 32, 'rustenc v2 aes-256-gcm' . $salt, 'rustenc');
$key_v1 = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');

/** Version 2 reader: the session data, or false. */
function read_v2(string $file, string $id, string $key_id, callable $subkey) {
    if (strlen($file) < 73 || substr($file, 0, 4) !== 'RENC' || ord($file[4]) !== 2
        || substr($file, 5, 8) !== $key_id) {
        return false;
    }
    $payload = openssl_decrypt(substr($file, 49, -16), 'aes-256-gcm', $subkey(substr($file, 21, 16)),
        OPENSSL_RAW_DATA, substr($file, 37, 12), substr($file, -16), substr($file, 0, 49) . $id);
    if ($payload === false) {
        return false;
    }
    $len = unpack('J', substr($payload, 0, 8))[1];
    if ($len < 0 || $len > strlen($payload) - 8 || trim(substr($payload, 8 + $len), "\0") !== '') {
        return false;
    }
    return substr($payload, 8, $len);
}

/** Version 2 writer. */
function write_v2(string $data, string $id, string $key_id, callable $subkey, int $pad_to = 0): string {
    $header = 'RENC' . chr(2) . $key_id . pack('J', time());
    $salt = random_bytes(16);
    $nonce = random_bytes(12);
    $header .= $salt . $nonce;
    $payload = pack('J', strlen($data)) . $data;
    if ($pad_to > 1) {
        $payload = str_pad($payload, intdiv(strlen($payload) + $pad_to - 1, $pad_to) * $pad_to, "\0");
    }
    $ct = openssl_encrypt($payload, 'aes-256-gcm', $subkey($salt), OPENSSL_RAW_DATA, $nonce, $tag, $header . $id, 16);
    return $header . $ct . $tag;
}

echo "-- rustenc wrote version 2\n";
$file = file_get_contents("$dir/rustenc_$id");
var_dump(strlen($file) === strlen($expected) + 73);
var_dump(substr($file, 0, 4), ord($file[4]));
var_dump(substr($file, 5, 8) === $key_id);
$sealed_at = unpack('J', substr($file, 13, 8))[1];
var_dump(abs(time() - $sealed_at) < 60);
var_dump(read_v2($file, $id, $key_id, $subkey) === $expected);
// Bound to the id: the same file does not open as another id's.
var_dump(read_v2($file, 'x' . $id, $key_id, $subkey));

echo "-- rustenc reads version 2 written here, padded or not\n";
foreach ([0, 256] as $pad_to) {
    $id2 = "independentwriter{$pad_to}x0123456789abcdef";
    $bytes = write_v2("written|s:2:\"by\";pad|i:$pad_to;", $id2, $key_id, $subkey, $pad_to);
    echo strlen($bytes), "\n";
    file_put_contents("$dir/rustenc_$id2", $bytes);
    chmod("$dir/rustenc_$id2", 0600);
    session_id($id2);
    session_start();
    var_dump(session_id() === $id2, $_SESSION);
    session_write_close();
}

echo "-- rustenc reads version 1 written here\n";
$id3 = 'independentwriterv1x0123456789abcdef';
$header = 'RENC' . chr(1) . $key_id . pack('J', time());
$nonce = random_bytes(12);
$ct = openssl_encrypt('written|s:2:"v1";', 'aes-256-gcm', $key_v1, OPENSSL_RAW_DATA, $nonce, $tag, $header . $id3, 16);
file_put_contents("$dir/rustenc_$id3", $header . $nonce . $ct . $tag);
chmod("$dir/rustenc_$id3", 0600);
session_id($id3);
session_start();
var_dump(session_id() === $id3, $_SESSION);
$_SESSION['changed'] = 1;
session_write_close();
// Written back as version 2, which this reader opens.
$file = file_get_contents("$dir/rustenc_$id3");
var_dump(ord($file[4]), read_v2($file, $id3, $key_id, $subkey));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
-- rustenc wrote version 2
bool(true)
string(4) "RENC"
int(2)
bool(true)
bool(true)
bool(true)
bool(false)
-- rustenc reads version 2 written here, padded or not
98
bool(true)
array(2) {
  ["written"]=>
  string(2) "by"
  ["pad"]=>
  int(0)
}
321
bool(true)
array(2) {
  ["written"]=>
  string(2) "by"
  ["pad"]=>
  int(256)
}
-- rustenc reads version 1 written here
bool(true)
array(1) {
  ["written"]=>
  string(2) "v1"
}
int(2)
string(29) "written|s:2:"v1";changed|i:1;"
