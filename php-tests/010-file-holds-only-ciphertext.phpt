--TEST--
The session file holds an RENC envelope, 0600, with none of the session data in clear
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
clearstatcache();
$dirMode = fileperms($dir) & 07777;
$dirIno = fileinode($dir);

session_start();
$id = session_id();
$_SESSION['credit_card_number'] = '4111-1111-1111-1111';
$_SESSION['email'] = 'alice.wonderland@example.org';
$_SESSION['token'] = 'Zq8vXr2LmP0tK9wS';
$_SESSION['n'] = 1234567;
$encoded = session_encode();
var_dump(session_write_close());

$file = rustenc_file($dir, $id);
clearstatcache();
$bytes = file_get_contents($file);
// A slot file (layout version 1) whose newest record is a version 2 envelope:
// header (49) + ciphertext (8-byte length + the serialized session) + tag (16)
var_dump(substr($bytes, 0, 4), ord($bytes[4]), strlen($bytes) % 4096);
$envelope = rustenc_newest($bytes)[1];
var_dump(substr($envelope, 0, 4));
var_dump(ord($envelope[4]));
var_dump(strlen($envelope) === strlen($encoded) + 73);
printf("file mode %04o\n", fileperms($file) & 07777);

$needles = ['credit_card_number', '4111-1111-1111-1111', '4111', 'alice.wonderland',
            'example.org', 'Zq8vXr2LmP0tK9wS', '1234567', 'email', 'token', $id,
            's:19:', '|s:', '|i:'];
foreach ($needles as $needle) {
    if (str_contains($bytes, $needle)) {
        echo "LEAK: $needle\n";
    }
}
// The key itself is not in the file either.
if (str_contains($bytes, base64_decode(getenv('RUSTENC_TEST_KEY')))) {
    echo "LEAK: key\n";
}

clearstatcache();
printf("dir mode %04o, same inode: %s\n", fileperms($dir) & 07777, var_export(fileinode($dir) === $dirIno, true));
var_dump($dirMode === (fileperms($dir) & 07777));
// Only the session file is there: no temporary files left behind.
var_dump(array_values(array_diff(scandir($dir), ['.', '..'])) === ['rustenc_' . $id]);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
string(4) "RENS"
int(1)
int(0)
string(4) "RENC"
int(2)
bool(true)
file mode 0600
dir mode 0700, same inode: true
bool(true)
bool(true)
