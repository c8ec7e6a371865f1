--TEST--
A session dir of mode 0755 or 0750 (not writable by group or others) is accepted; files are created 0600
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup('058');

foreach ([0755, 0750] as $i => $mode) {
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
rustenc_cleanup('058');
?>
--EXPECT--
bool(true)
bool(true)
dir 0755, file 0600
bool(true)
int(0)
bool(true)
bool(true)
dir 0750, file 0600
bool(true)
int(1)
