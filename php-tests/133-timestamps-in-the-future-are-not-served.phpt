--TEST--
A session whose file is dated 2100, or whose authenticated sealed_at is in 2100 (a key holder forging a never-expiring session), is not served: strict mode gives a new id and a warning, the file stays for the operator, and gc removes the one dated 2100; five minutes of clock skew are tolerated
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_maxlifetime=1440
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());
$year2100 = mktime(0, 0, 0, 1, 1, 2100);

// Seals $data for $id as rustenc does (docs/FORMAT.md), stamped $sealed_at.
function seal(string $dir, string $id, string $data, int $sealed_at): void {
    $secret = base64_decode(getenv('RUSTENC_TEST_KEY'));
    $key = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');
    $header = 'RENC' . chr(1) . hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc') . pack('J', $sealed_at);
    $nonce = random_bytes(12);
    $ct = openssl_encrypt($data, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $nonce, $tag, $header . $id, 16);
    file_put_contents("$dir/rustenc_$id", $header . $nonce . $ct . $tag);
    chmod("$dir/rustenc_$id", 0600);
}
function visit(string $id): void {
    session_id($id);
    session_start();
    echo session_id() === $id ? 'served ' . json_encode($_SESSION) : 'new id', "\n";
    session_write_close();
}

session_start();
$_SESSION['admin'] = true;
$dated = session_id();
session_write_close();
touch(rustenc_file($dir, $dated), $year2100);
echo "file dated 2100: ";
visit($dated);

$sealed = 'sealedin2100abcdefghijklmnopqrstu';
seal($dir, $sealed, 'admin|b:1;', $year2100);
echo "sealed_at in 2100: ";
visit($sealed);

$skewed = 'skewedclockabcdefghijklmnopqrstuv';
seal($dir, $skewed, 'n|i:1;', time() + 240);
touch(rustenc_file($dir, $skewed), time() + 240);
echo "both 4 minutes ahead: ";
visit($skewed);

clearstatcache();
var_dump(file_exists(rustenc_file($dir, $dated)), file_exists(rustenc_file($dir, $sealed)));
echo "gc removes the file dated 2100: ";
var_dump(rustenc_gc($dir, 1440), file_exists(rustenc_file($dir, $dated)));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
file dated 2100: 
Warning: session_start(): rustenc: session %s… cannot be read: its modification time lies %d s in the future, more than the 300 s allowed for clock skew (a forged or planted file; check the clock if every session says so); the file was left untouched in %s on line %d
new id
sealed_at in 2100: 
Warning: session_start(): rustenc: session sealed… cannot be read: its sealed_at lies %d s in the future, more than the 300 s allowed for clock skew (a forged or planted file; check the clock if every session says so); the file was left untouched in %s on line %d
new id
both 4 minutes ahead: served {"n":1}
bool(true)
bool(true)
gc removes the file dated 2100: int(1)
bool(false)
