--TEST--
A session dir others can list (0755, 0750, 0704) is refused, since its file names are session ids; 0711 and 0700 are accepted and files are created 0600
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
ob_start();

foreach ([0755, 0750, 0704] as $mode) {
    chmod($dir, $mode);
    clearstatcache();
    session_id('mode058listed');
    var_dump(session_start());
    var_dump(glob("$dir/*"));
}
foreach ([0711, 0700] as $i => $mode) {
    chmod($dir, $mode);
    clearstatcache();
    $id = "mode058ok$i";
    session_id($id);
    var_dump(session_start());
    $_SESSION['n'] = $i;
    var_dump(session_write_close());
    clearstatcache();
    printf("dir %04o, file %04o\n", fileperms($dir) & 07777, fileperms(rustenc_file($dir, $id)) & 07777);
    echo rustenc_child('session_id("' . $id . '"); var_dump(session_start(), $_SESSION["n"]);');
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
Warning: session_start(): rustenc: session dir %s/rustenc-phpt-058 is mode 0755, so group and others can list it, and the file names are session ids (which log a user in); run: chmod 0700 %s/rustenc-phpt-058 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-058) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-058 is mode 0750, so its group can list it, and the file names are session ids (which log a user in); run: chmod 0700 %s/rustenc-phpt-058 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-058) in %s on line %d
bool(false)
array(0) {
}

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-058 is mode 0704, so others can list it, and the file names are session ids (which log a user in); run: chmod 0700 %s/rustenc-phpt-058 in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-058) in %s on line %d
bool(false)
array(0) {
}
bool(true)
bool(true)
dir 0711, file 0600
bool(true)
int(0)
bool(true)
bool(true)
dir 0700, file 0600
bool(true)
int(1)
