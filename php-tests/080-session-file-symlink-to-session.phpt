--TEST--
A session file that is a symbolic link to a valid session file (same id, elsewhere, or another id) is refused, not followed, not removed
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
// A valid session for id "linked080" in another directory, that would open if followed.
$elsewhere = rustenc_setup(rustenc_test() . '-elsewhere');
session_id('linked080');
session_start();
$_SESSION['secret'] = 'elsewhere';
session_write_close();
$target = rustenc_file($elsewhere, 'linked080');
$targetBytes = file_get_contents($target);
$targetTime = filemtime($target);

$dir = rustenc_setup(rustenc_test());
// And a valid session of another id in this directory.
session_id('other080');
session_start();
$_SESSION['secret'] = 'other';
session_write_close();
$other = rustenc_file($dir, 'other080');
$otherBytes = file_get_contents($other);

symlink($target, rustenc_file($dir, 'linked080'));
symlink($other, rustenc_file($dir, 'alias080'));

foreach (['linked080', 'alias080'] as $id) {
    foreach (['0', '1'] as $strict) {
        ini_set('session.use_strict_mode', $strict);
        $_SESSION = [];
        session_id($id);
        $ok = session_start();
        var_dump($ok, $_SESSION);
        if ($ok) {
            var_dump(session_id() !== $id);
            session_write_close();
        }
        clearstatcache();
        var_dump(is_link(rustenc_file($dir, $id)));
    }
}
clearstatcache();
var_dump(file_get_contents($target) === $targetBytes, filemtime($target) === $targetTime);
var_dump(file_get_contents($other) === $otherBytes);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-elsewhere');
?>
--EXPECTF--
Warning: session_start(): rustenc: session file for id linked… in %s/rustenc-phpt-080 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-080) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session file for id linked… in %s/rustenc-phpt-080 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d
bool(true)
array(0) {
}
bool(true)
bool(true)

Warning: session_start(): rustenc: session file for id alias0… in %s/rustenc-phpt-080 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-080) in %s on line %d
bool(false)
array(0) {
}
bool(true)

Warning: session_start(): rustenc: session file for id alias0… in %s/rustenc-phpt-080 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d
bool(true)
array(0) {
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
