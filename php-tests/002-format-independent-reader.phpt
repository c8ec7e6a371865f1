--TEST--
rustenc files open with plain PHP following docs/FORMAT.md, and rustenc opens files written that way (an independent reader and writer of slot files and envelope versions 2 and 1)
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

// Everything below follows docs/FORMAT.md and nothing else (not the
// helpers of inc/rustenc.inc).
$secret = base64_decode(getenv('RUSTENC_TEST_KEY'));
$key_id = hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc');
$subkey = fn(string $salt) => hash_hkdf('sha256', $secret, 32, 'rustenc v2 aes-256-gcm' . $salt, 'rustenc');
$key_v1 = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');

/** Slot file reader: [seq, envelope, slot] of the newest record, or false. */
function newest_record(string $file) {
    if (strlen($file) < 16 || substr($file, 0, 4) !== 'RENS' || ord($file[4]) !== 1
        || substr($file, 5, 3) !== "\0\0\0" || substr($file, 12, 4) !== "\0\0\0\0") {
        return false;
    }
    $c = unpack('N', substr($file, 8, 4))[1];
    if ($c < 93) {
        return false;
    }
    $newest = false;
    foreach ([0, 1] as $slot) {
        $at = 16 + $slot * $c;
        if (strlen($file) < $at + 12) {
            continue;
        }
        $seq = unpack('J', substr($file, $at, 8))[1];   // negative: 2^63 or more
        $len = unpack('N', substr($file, $at + 8, 4))[1];
        if ($seq < 1 || $len + 20 > $c || strlen($file) < $at + 20 + $len
            || substr($file, $at + 12 + $len, 8) !== substr($file, $at, 8)) {
            continue;
        }
        if ($newest === false || $seq > $newest[0]) {
            $newest = [$seq, substr($file, $at + 12, $len), $slot];
        }
    }
    return $newest;
}

/** The binding of record $seq's envelope, after the id in its associated data. */
function binding(int $seq): string {
    return "\0RENS" . pack('J', $seq);
}

/** Version 2 reader: the session data, or false. */
function read_v2(string $envelope, string $id, string $key_id, callable $subkey, string $bound = '') {
    if (strlen($envelope) < 73 || substr($envelope, 0, 4) !== 'RENC' || ord($envelope[4]) !== 2
        || substr($envelope, 5, 8) !== $key_id) {
        return false;
    }
    $payload = openssl_decrypt(substr($envelope, 49, -16), 'aes-256-gcm', $subkey(substr($envelope, 21, 16)),
        OPENSSL_RAW_DATA, substr($envelope, 37, 12), substr($envelope, -16), substr($envelope, 0, 49) . $id . $bound);
    if ($payload === false) {
        return false;
    }
    $len = unpack('J', substr($payload, 0, 8))[1];
    if ($len < 0 || $len > strlen($payload) - 8 || trim(substr($payload, 8 + $len), "\0") !== '') {
        return false;
    }
    return substr($payload, 8, $len);
}

/** Reads a session file of either layout: the session data, or false. */
function read_file(string $file, string $id, string $key_id, callable $subkey) {
    if (substr($file, 0, 4) === 'RENC') {
        return read_v2($file, $id, $key_id, $subkey);
    }
    $newest = newest_record($file);
    return $newest === false ? false : read_v2($newest[1], $id, $key_id, $subkey, binding($newest[0]));
}

/** Version 2 writer. */
function write_v2(string $data, string $id, string $key_id, callable $subkey, int $pad_to = 0, string $bound = ''): string {
    $header = 'RENC' . chr(2) . $key_id . pack('J', time());
    $salt = random_bytes(16);
    $nonce = random_bytes(12);
    $header .= $salt . $nonce;
    $payload = pack('J', strlen($data)) . $data;
    if ($pad_to > 1) {
        $payload = str_pad($payload, intdiv(strlen($payload) + $pad_to - 1, $pad_to) * $pad_to, "\0");
    }
    $ct = openssl_encrypt($payload, 'aes-256-gcm', $subkey($salt), OPENSSL_RAW_DATA, $nonce, $tag, $header . $id . $bound, 16);
    return $header . $ct . $tag;
}

function record(int $seq, string $envelope): string {
    return pack('J', $seq) . pack('N', strlen($envelope)) . $envelope . pack('J', $seq);
}

/** A new slot file holding $envelope as record $seq in slot 0. */
function lay_out(int $seq, string $envelope): string {
    $record = record($seq, $envelope);
    for ($k = 1; 2048 * $k - 8 < 2 * strlen($record); $k++);
    $c = 2048 * $k - 8;
    return 'RENS' . chr(1) . "\0\0\0" . pack('N', $c) . "\0\0\0\0" . str_pad($record, 2 * $c, "\0");
}

/** Writes $bytes at the start of $slot of the slot file $path, in place. */
function write_slot(string $path, int $slot, string $bytes): void {
    $c = unpack('N', file_get_contents($path, false, null, 8, 4))[1];
    $f = fopen($path, 'r+');
    fseek($f, 16 + $slot * $c);
    fwrite($f, $bytes);
    fclose($f);
}

function rustenc_reads(string $id): void {
    session_id($id);
    session_start();
    var_dump(session_id() === $id, $_SESSION);
    session_write_close();
}

echo "-- rustenc wrote a slot file\n";
$file = file_get_contents("$dir/rustenc_$id");
var_dump(substr($file, 0, 4), ord($file[4]), strlen($file) % 4096);
[$seq, $envelope, $slot] = newest_record($file);
// Record 1 (the new, empty session) in slot 0, then this request's in slot 1.
var_dump($seq, $slot);
var_dump(strlen($envelope) === strlen($expected) + 73);
var_dump(substr($envelope, 0, 4), ord($envelope[4]));
var_dump(substr($envelope, 5, 8) === $key_id);
$sealed_at = unpack('J', substr($envelope, 13, 8))[1];
var_dump(abs(time() - $sealed_at) < 60);
var_dump(read_v2($envelope, $id, $key_id, $subkey, binding($seq)) === $expected);
// Bound to the id and to the sequence number.
var_dump(read_v2($envelope, 'x' . $id, $key_id, $subkey, binding($seq)));
var_dump(read_v2($envelope, $id, $key_id, $subkey, binding($seq + 1)));
var_dump(read_v2($envelope, $id, $key_id, $subkey));

echo "-- rustenc reads slot files written here, padded or not\n";
foreach ([0, 256] as $pad_to) {
    $id2 = "independentwriter{$pad_to}x0123456789abcdef";
    $envelope = write_v2("written|s:2:\"by\";pad|i:$pad_to;", $id2, $key_id, $subkey, $pad_to, binding(1));
    echo strlen($envelope), "\n";
    file_put_contents("$dir/rustenc_$id2", lay_out(1, $envelope));
    chmod("$dir/rustenc_$id2", 0600);
    rustenc_reads($id2);
}

echo "-- records written here in place: the newest whole one is read\n";
$path = "$dir/rustenc_$id2";
write_slot($path, 1, record(2, write_v2('n|i:2;', $id2, $key_id, $subkey, 0, binding(2))));
rustenc_reads($id2);
// Record 3, cut short before its trailing sequence number: record 2 is read.
$torn = record(3, write_v2('n|i:3;', $id2, $key_id, $subkey, 0, binding(3)));
write_slot($path, 0, substr($torn, 0, -8));
rustenc_reads($id2);
// rustenc's next write goes into the torn slot, as record 3.
session_id($id2);
session_start();
$_SESSION['n'] = 4;
session_write_close();
$file = file_get_contents($path);
[$seq, $envelope, $slot] = newest_record($file);
var_dump($seq, $slot, read_v2($envelope, $id2, $key_id, $subkey, binding($seq)));

echo "-- rustenc reads a whole-file version 2 envelope written here\n";
$id4 = 'independentwriterwhole0123456789abcdef';
file_put_contents("$dir/rustenc_$id4", write_v2('written|s:5:"whole";', $id4, $key_id, $subkey));
chmod("$dir/rustenc_$id4", 0600);
rustenc_reads($id4);
// That request changed nothing, and still rewrote it as a slot file.
$file = file_get_contents("$dir/rustenc_$id4");
var_dump(substr($file, 0, 4), read_file($file, $id4, $key_id, $subkey));

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
// Written back as a slot file holding a version 2 envelope, which this reader opens.
$file = file_get_contents("$dir/rustenc_$id3");
var_dump(substr($file, 0, 4), ord(newest_record($file)[1][4]), read_file($file, $id3, $key_id, $subkey));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
-- rustenc wrote a slot file
string(4) "RENS"
int(1)
int(0)
int(2)
int(1)
bool(true)
string(4) "RENC"
int(2)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
-- rustenc reads slot files written here, padded or not
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
-- records written here in place: the newest whole one is read
bool(true)
array(1) {
  ["n"]=>
  int(2)
}
bool(true)
array(1) {
  ["n"]=>
  int(2)
}
int(3)
int(0)
string(6) "n|i:4;"
-- rustenc reads a whole-file version 2 envelope written here
bool(true)
array(1) {
  ["written"]=>
  string(5) "whole"
}
string(4) "RENS"
string(20) "written|s:5:"whole";"
-- rustenc reads version 1 written here
bool(true)
array(1) {
  ["written"]=>
  string(2) "v1"
}
string(4) "RENS"
int(2)
string(29) "written|s:2:"v1";changed|i:1;"
