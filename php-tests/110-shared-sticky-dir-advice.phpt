--TEST--
Debian's shared session dir (mode 1733, the files handler's) is refused with "set session.save_path to a private directory", never "chmod 0700" (which would break files for every other application); same in rustenc_check()
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
$dir = rustenc_setup(rustenc_test());
// As Debian ships /var/lib/php/sessions: root-owned in production, 1733.
chmod($dir, 01733);
clearstatcache();
printf("%04o\n", fileperms($dir) & 07777);

ob_start();
var_dump(session_start());
$out = ob_get_clean();
echo $out;
var_dump(str_contains($out, 'chmod'));
$r = rustenc_check();
var_dump($r['ok'], $r['status'], $r['directory']['error'] === $r['directory']['error'] && str_contains($r['directory']['error'], 'set session.save_path to a private directory'));
clearstatcache();
printf("%04o\n", fileperms($dir) & 07777);
chmod($dir, 0700);
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";

// Debian's own directory, if this is Debian: the same advice, nothing created.
$debian = '/var/lib/php/sessions';
if (is_dir($debian) && (fileperms($debian) & 07777) === 01733) {
    $before = count(scandir($debian));
    ini_set('session.save_path', $debian);
    ob_start();
    session_start();
    $out = ob_get_clean();
    var_dump(str_contains($out, "session dir $debian (mode 1733) is a shared directory")
        && str_contains($out, 'set session.save_path to a private directory') && !str_contains($out, 'chmod'));
    var_dump(count(scandir($debian)) === $before);
} else {
    echo "bool(true)\nbool(true)\n";
}
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
1733

Warning: session_start(): rustenc: session dir %s/rustenc-phpt-110 (mode 1733) is a shared directory: others can create files in it (sticky bit), as in Debian's /var/lib/php/sessions, which the files handler of other applications uses; rustenc keeps sessions only in a private directory, and changing its mode would break those applications: set session.save_path to a private directory instead (the Debian package creates /var/lib/php/rustenc; else run: install -d -m 0700 -o %s /var/lib/php/rustenc) in %s on line %d

Warning: session_start(): Failed to initialize storage module: rustenc (path: %s/rustenc-phpt-110) in %s on line %d
bool(false)
bool(false)
bool(false)
int(1)
bool(true)
1733
dir: []
bool(true)
bool(true)
