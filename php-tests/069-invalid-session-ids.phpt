--TEST--
Session ids with characters outside [A-Za-z0-9,-] are refused before any file is touched; strict mode replaces them
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
// A session file another id could be made to reach by "..".
mkdir("$dir/sub", 0700);
$victim = rustenc_setup(rustenc_test() . '-victim');
ini_set('session.save_path', $dir);

foreach (['a..b/../x', '../rustenc-phpt-069-victim/x', 'abc.def', 'abc_def', "abc\0def", 'sub/x', 'ab%2Fcd'] as $id) {
    session_id($id);
    var_dump(session_start());
    var_dump(session_status() === PHP_SESSION_NONE);
}
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..']))), "\n";
echo "sub: ", json_encode(array_values(array_diff(scandir("$dir/sub"), ['.', '..']))), "\n";
echo "victim: ", json_encode(array_values(array_diff(scandir($victim), ['.', '..']))), "\n";
var_dump(file_exists(dirname($dir) . '/x'));

// Strict mode: the bad id is reported and replaced by a fresh one.
ini_set('session.use_strict_mode', '1');
session_id('a..b/../x');
var_dump(session_start());
var_dump(preg_match('/^[a-zA-Z0-9,-]+$/', session_id()) === 1);
$new = session_id();
session_write_close();
echo "dir: ", json_encode(array_values(array_diff(scandir($dir), ['.', '..', "rustenc_$new"]))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-victim');
?>
--EXPECTF--
Warning: session_start(): rustenc: session id a??b??… is invalid: it holds characters outside A-Z a-z 0-9 , -; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long in %s on line %d

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id ???rus… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id abc?de… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id abc?de… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id abc?de… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id sub?x… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)

Warning: session_start(): rustenc: session id ab?2Fc… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s

Warning: session_start(): Failed to read session data: rustenc (path: %s/rustenc-phpt-069) in %s on line %d
bool(false)
bool(true)
dir: ["sub"]
sub: []
victim: []
bool(false)

Warning: session_start(): rustenc: session id a??b??… is invalid: it holds characters outside A-Z a-z 0-9 , -; %s
bool(true)
bool(true)
dir: ["sub"]
