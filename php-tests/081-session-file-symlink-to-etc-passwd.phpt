--TEST--
A session file that is a symbolic link to /etc/passwd or to a missing file is refused; the target is neither read, written nor created
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
$dir = rustenc_setup(rustenc_test());
$passwd = hash_file('sha256', '/etc/passwd');
$passwdTime = filemtime('/etc/passwd');
$missing = rustenc_dir(rustenc_test() . '-target');   // does not exist
rustenc_cleanup(rustenc_test() . '-target');

symlink('/etc/passwd', rustenc_file($dir, 'passwd081'));
symlink($missing, rustenc_file($dir, 'dangling081'));

foreach (['passwd081', 'dangling081'] as $id) {
    session_id($id);
    var_dump(session_start());
    clearstatcache();
    var_dump(is_link(rustenc_file($dir, $id)));
}
// Writing a session under that id cannot go through the link either.
session_id('passwd081');
var_dump(@session_start());
var_dump(session_write_close());

// A session whose file is swapped for a link while it is open: session_destroy() leaves the link.
session_id('swap081');
session_start();
unlink(rustenc_file($dir, 'swap081'));
symlink('/etc/passwd', rustenc_file($dir, 'swap081'));
var_dump(session_destroy());
clearstatcache();
var_dump(is_link(rustenc_file($dir, 'swap081')));

clearstatcache();
var_dump(hash_file('sha256', '/etc/passwd') === $passwd, filemtime('/etc/passwd') === $passwdTime);
var_dump(file_exists($missing));
var_dump(readlink(rustenc_file($dir, 'passwd081')));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-target');
?>
--EXPECTF--
Warning: session_start(): rustenc: session file for id passwd… in %s/rustenc-phpt-081 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-081) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session file for id dangli… in %s/rustenc-phpt-081 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from) in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-081) in %s on line %d
bool(false)
bool(true)
bool(false)
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
string(11) "/etc/passwd"
