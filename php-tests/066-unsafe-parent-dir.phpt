--TEST--
A session dir below a world-writable directory without the sticky bit is refused ("unsafe parent"); with the sticky bit it is accepted
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
$top = rustenc_setup(rustenc_test());
mkdir("$top/p", 0755);
mkdir("$top/s", 0700);
mkdir("$top/p/s", 0700);
chmod("$top/p", 0755);
chmod("$top/s", 0700);
chmod("$top/p/s", 0700);

chmod($top, 0777);
// Direct parent, then grandparent, world-writable.
foreach (["$top/s", "$top/p/s"] as $dir) {
    ini_set('session.save_path', $dir);
    session_id('parent066');
    var_dump(session_start());
    var_dump(glob("$dir/rustenc_*"));
}

// The sticky bit (as on /tmp) makes it safe.
chmod($top, 01777);
foreach (["$top/s", "$top/p/s"] as $dir) {
    ini_set('session.save_path', $dir);
    session_id('parent066');
    var_dump(session_start());
    $_SESSION['ok'] = true;
    session_write_close();
    var_dump(count(glob("$dir/rustenc_parent066")));
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-066/s has an unsafe parent %s/rustenc-phpt-066: mode 0777 is world-writable without the sticky bit, so anyone can replace the session dir; run: chmod o-w %s/rustenc-phpt-066 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-066/s) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-066/p/s has an unsafe parent %s/rustenc-phpt-066: mode 0777 is world-writable without the sticky bit, so anyone can replace the session dir; run: chmod o-w %s/rustenc-phpt-066 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-066/p/s) in %s on line %d
bool(false)
array(0) {
}
bool(true)
int(1)
bool(true)
int(1)
