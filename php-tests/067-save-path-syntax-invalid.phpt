--TEST--
Malformed session.save_path values are refused with the reason and the accepted syntax, and nothing is written
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
foreach ([
    'rustenc-phpt-067',     // relative
    "x;$dir",               // N not a number
    "0;999;$dir",           // MODE not octal
    "0;0666;$dir",          // group/others may write
    "0;0400;$dir",          // owner may not write
    "0;1600;$dir",          // beyond 0777
    "17;$dir",              // too deep
    "0;0600;$dir;x",        // four parts
] as $path) {
    ini_set('session.save_path', $path);
    $out = '';
    ob_start();
    $ok = session_start();
    $out = ob_get_clean();
    // Print the rustenc warning with the directory shortened.
    foreach (explode("\n", $out) as $line) {
        if (str_contains($line, 'rustenc: ')) {
            echo preg_replace('# in \S+ on line \d+$#', '', str_replace($dir, 'DIR', $line)), "\n";
        }
    }
    var_dump($ok);
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
var_dump(file_exists(getcwd() . '/rustenc-phpt-067'));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
Warning: session_start(): rustenc: session.save_path "rustenc-phpt-067" is invalid: the path is not absolute; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "x;DIR" is invalid: N is not a number; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "0;999;DIR" is invalid: MODE is not octal; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "0;0666;DIR" is invalid: MODE lets group or others write session files; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "0;0400;DIR" is invalid: MODE must let the owner read and write (0600); expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "0;1600;DIR" is invalid: MODE has bits beyond 0777; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "17;DIR" is invalid: N is larger than 16; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
Warning: session_start(): rustenc: session.save_path "0;0600;DIR;x" is invalid: it has more than two ';'; expected "/path", "N;/path" or "N;MODE;/path" (for example "0;0600;/var/lib/php/rustenc")
bool(false)
dir: []
bool(false)
