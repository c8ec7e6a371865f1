--TEST--
A session.save_path that is a symbolic link to a good directory is refused, and the link is not followed
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
// A good 0700 directory with one session in it.
$real = rustenc_setup(rustenc_test() . '-real');
session_id('link062session');
session_start();
$_SESSION['secret'] = 'behind the link';
session_write_close();
$before = file_get_contents(rustenc_file($real, 'link062session'));

$link = rustenc_dir(rustenc_test());
rustenc_cleanup(rustenc_test());
symlink($real, $link);

foreach ([$link, "0;0600;$link"] as $path) {
    ini_set('session.save_path', $path);
    $_SESSION = [];
    session_id('link062session');
    var_dump(session_start());
    var_dump($_SESSION);
}
session_id('');
var_dump(session_start());

var_dump(is_link($link));
var_dump(file_get_contents(rustenc_file($real, 'link062session')) === $before);
echo "real dir: ", json_encode(array_values(array_diff(scandir($real), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-real');
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-062 is a symbolic link; rustenc does not follow links: set session.save_path to the real directory (%s/rustenc-phpt-062-real) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-062) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-062 is a symbolic link; rustenc does not follow links: set session.save_path to the real directory (%s/rustenc-phpt-062-real) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: 0;0600;%s/rustenc-phpt-062) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-062 is a symbolic link; %s

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-062) in %s on line %d
bool(false)
bool(true)
bool(true)
real dir: ["rustenc_link062session"]
