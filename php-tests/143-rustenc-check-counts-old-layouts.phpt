--TEST--
rustenc_check() counts the session files left in an old layout (rustenc 0.1's version 1 envelopes, 0.2's whole-file envelopes) until their next write converts them
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

// One session written now (a slot file), two as rustenc 0.1 wrote them
// (version 1, as docs/FORMAT.md describes it).
session_start();
$_SESSION['n'] = 1;
session_write_close();
$secret = base64_decode(getenv('RUSTENC_TEST_KEY'));
$key_id = hash_hkdf('sha256', $secret, 8, 'rustenc v1 key id', 'rustenc');
$key_v1 = hash_hkdf('sha256', $secret, 32, 'rustenc v1 aes-256-gcm', 'rustenc');
foreach (['oldsessionone0123456789abcdef', 'oldsessiontwo0123456789abcdef'] as $id) {
    $header = 'RENC' . chr(1) . $key_id . pack('J', time());
    $nonce = random_bytes(12);
    $ct = openssl_encrypt("n|i:1;", 'aes-256-gcm', $key_v1, OPENSSL_RAW_DATA, $nonce, $tag, $header . $id, 16);
    file_put_contents(rustenc_file($dir, $id), $header . $nonce . $ct . $tag);
    chmod(rustenc_file($dir, $id), 0600);
}
// Not sessions: a write in progress, and a session set aside.
file_put_contents("$dir/rustenc_tmp.1.1", 'RENC' . chr(1));
file_put_contents("$dir/rustenc_x.unreadable-1", 'RENC' . chr(1));

$files = rustenc_check()['files'];
var_dump($files);

// A request that only reads one of them (lazy_write) converts it.
session_id('oldsessionone0123456789abcdef');
session_start();
var_dump($_SESSION);
session_write_close();
$r = rustenc_check();
var_dump($r['files']['old_layout'], $r['files']['v1'], $r['files']['slot_files'], $r['ok']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
array(6) {
  ["ok"]=>
  bool(true)
  ["sessions"]=>
  int(3)
  ["slot_files"]=>
  int(1)
  ["old_layout"]=>
  int(2)
  ["v1"]=>
  int(2)
  ["error"]=>
  NULL
}
array(1) {
  ["n"]=>
  int(1)
}
int(1)
int(1)
int(2)
bool(true)
