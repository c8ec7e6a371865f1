--TEST--
The documented migration, as root from a shared sticky files directory (1733) into www-data's rustenc directory: sess_ files another user planted (admin|b:1;, one dated 2100) and a file dated 2100 are not imported and their ids open no session; www-data's own session is imported
--EXTENSIONS--
session
--SKIPIF--
<?php
if (posix_geteuid() !== 0) die('skip needs root (acts as www-data and nobody)');
if (!is_executable('/usr/bin/setpriv')) die('skip needs setpriv');
?>
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.use_strict_mode=1
session.cache_limiter=
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dst = rustenc_setup(rustenc_test());
chown($dst, 'www-data');
$src = rustenc_dir(rustenc_test() . '-files');
rustenc_cleanup(rustenc_test() . '-files');
mkdir($src);
chmod($src, 01733);   // Debian's /var/lib/php/sessions
function as_user(string $user, string $script, string $cwd): void {
    $group = posix_getgrgid(posix_getpwnam($user)['gid'])['name'];
    $p = proc_open(['/usr/bin/setpriv', "--reuid=$user", "--regid=$group", '--clear-groups', 'sh', '-c', $script], [], $pipes, $cwd);
    proc_close($p);
}
as_user('www-data', "printf 'user|s:5:\"alice\";' > sess_alice0123456789abcdefghijk", $src);
as_user('nobody', "printf 'admin|b:1;' > sess_evil0123456789abcdefghijklm; touch -d 2100-01-01 sess_evil0123456789abcdefghijklm", $src);
as_user('nobody', "printf 'admin|b:1;' > sess_evil9876543210abcdefghijklm", $src);
as_user('www-data', "printf 'admin|b:1;' > sess_ahead0123456789abcdefghijk; touch -d 2100-01-01 sess_ahead0123456789abcdefghijk", $src);

$r = rustenc_import_files($src, $dst);
var_dump($r['ok'], $r['imported'], $r['failed']);
sort($r['errors']);
foreach ($r['errors'] as $e) {
    echo str_replace([$src, $dst], ['SRC', 'DST'], $e), "\n";
}
// What a request with each id gets (as the web server would).
echo rustenc_child('foreach (["alice0123456789abcdefghijk", "evil0123456789abcdefghijklm", "evil9876543210abcdefghijklm", "ahead0123456789abcdefghijk"] as $id) {
    session_id($id); @session_start(); echo $id, " => ", session_id() === $id ? json_encode($_SESSION) : "new id", "\n"; session_write_close();
}');
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
rustenc_cleanup(rustenc_test() . '-files');
?>
--EXPECTF--
bool(false)
int(1)
int(3)
session file for id ahead0… in SRC is dated %d s in the future, more than the 300 s allowed for clock skew (its time would become the session's, which would then never expire); refusing to use it (it was left in place: remove it once you know where it came from)
session file for id evil01… in SRC is owned by nobody, not by www-data, the owner of the sessions in DST (a file anyone could have planted is not imported); refusing to use it (it was left in place: remove it once you know where it came from)
session file for id evil98… in SRC is owned by nobody, not by www-data, the owner of the sessions in DST (a file anyone could have planted is not imported); refusing to use it (it was left in place: remove it once you know where it came from)
alice0123456789abcdefghijk => {"user":"alice"}
evil0123456789abcdefghijklm => new id
evil9876543210abcdefghijklm => new id
ahead0123456789abcdefghijk => new id
