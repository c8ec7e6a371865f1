--TEST--
Empty session.save_path without /var/lib/php/rustenc: sessions go to a private dir (0700) of the user under PHP's temporary directory, said once per process in the log; a link, someone else's or an open dir at that name is refused with a clear message
--EXTENSIONS--
session
--SKIPIF--
<?php if (file_exists('/var/lib/php/rustenc')) die('skip /var/lib/php/rustenc exists here, so it is the default'); ?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$base = rustenc_setup(rustenc_test());
$temp = "$base/tmp";
mkdir($temp);
chmod($temp, 01777);
$uid = posix_geteuid();
$private = "$temp/rustenc-$uid";
$ini = ['session.use_strict_mode' => '0', 'session.save_path' => '', 'sys_temp_dir' => $temp, 'log_errors' => '1', 'error_log' => "$base/php.log"];
$count = 'session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; echo "n=", $_SESSION["n"], "\n"; session_write_close();';

echo "-- first use creates it:\n";
$out = rustenc_child('session_id("default111abc"); ' . $count . ' session_id("default111abc"); ' . $count
    . ' $r = rustenc_check(); echo "check: ", json_encode([$r["ok"], $r["save_path"]["dir"] === "' . $private . '"]), "\n";', $ini);
echo $out;
clearstatcache();
printf("%04o %s\n", fileperms($private) & 07777, json_encode(is_file("$private/rustenc_default111abc")));
$log = file_exists("$base/php.log") ? file_get_contents("$base/php.log") : '';
var_dump(substr_count($log, "rustenc: session.save_path is empty: sessions are kept in $private\n"));

echo "-- next process, same dir:\n";
echo rustenc_child('session_id("default111abc"); ' . $count, $ini);

echo "-- planted by someone else:\n";
rustenc_cleanup(rustenc_test());
mkdir($base, 0700);
mkdir($temp);
chmod($temp, 01777);
mkdir("$base/elsewhere", 0700);
symlink("$base/elsewhere", $private);
echo str_replace($base, 'BASE', rustenc_child('var_dump(session_start());', $ini));
unlink($private);
mkdir($private, 0755);
echo str_replace($base, 'BASE', rustenc_child('var_dump(session_start());', $ini));
echo "elsewhere: ", json_encode(array_values(array_diff(scandir("$base/elsewhere"), ['.', '..']))), "\n";
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
-- first use creates it:
n=1
n=2
check: [true,true]
0700 true
int(1)
-- next process, same dir:
n=3
-- planted by someone else:

Warning: session_start(): rustenc: rustenc's default session dir BASE/tmp/rustenc-%d (used because session.save_path is empty and /var/lib/php/rustenc does not exist) is a symbolic link; someone else may have created it: remove it, or set session.save_path to a private directory (install -d -m 0700 -o %s /var/lib/php/rustenc) in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: ) in Command line code on line 1
bool(false)

Warning: session_start(): rustenc: rustenc's default session dir BASE/tmp/rustenc-%d (used because session.save_path is empty and /var/lib/php/rustenc does not exist) is mode 0755, open to group or others; someone else may have created it: remove it, or set session.save_path to a private directory (install -d -m 0700 -o %s /var/lib/php/rustenc) in Command line code on line 1

Warning: session_start(): Failed to initialize storage module: rustenc (path: ) in Command line code on line 1
bool(false)
elsewhere: []
