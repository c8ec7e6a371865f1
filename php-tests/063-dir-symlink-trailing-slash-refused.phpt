--TEST--
A session.save_path naming a symbolic link is refused also when written with a trailing "/" or "/."
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
$real = rustenc_setup(rustenc_test() . '-real');
session_id('link063session');
session_start();
$_SESSION['secret'] = 'behind the link';
session_write_close();
$before = file_get_contents(rustenc_file($real, 'link063session'));

$link = rustenc_dir(rustenc_test());
rustenc_cleanup(rustenc_test());
symlink($real, $link);

foreach (["$link/", "$link/."] as $path) {
    ini_set('session.save_path', $path);
    $_SESSION = [];
    session_id('link063session');
    var_dump(session_start());
    var_dump($_SESSION);
    session_write_close();
}

var_dump(file_get_contents(rustenc_file($real, 'link063session')) === $before);
echo "real dir: ", json_encode(array_values(array_diff(scandir($real), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-real');
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-063%S is a symbolic link; %s

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-063/) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-063%S is a symbolic link; %s

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-063/.) in %s on line %d
bool(false)
array(0) {
}
bool(true)
real dir: ["rustenc_link063session"]
