--TEST--
No warning shows a whole session id: only its first 6 characters followed by "…"
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
$id = 'SecretToken079abcdefghijklmnopqrstuvwxyz';
$file = rustenc_file($dir, $id);
$all = '';

/** Starts a session for $id and keeps what it printed. */
function attempt(string $id): void {
    global $all;
    ob_start();
    session_id($id);
    if (session_start()) {
        $_SESSION['big'] = str_repeat('x', 3000);
        session_write_close();
    }
    $all .= ob_get_clean();
}

function reset_file(): void {
    global $file;
    @unlink($file);
    @rmdir($file);
}

// A good session to tamper with.
session_id($id);
session_start();
$_SESSION['a'] = 1;
session_write_close();
$good = file_get_contents($file);
// Its envelope in the old layout (one envelope, as rustenc 0.2 wrote), to
// tamper with.
$envelope = rustenc_envelope($file);

file_put_contents($file, substr_replace($envelope, "\xff", 40, 1)); // authentication failed
attempt($id);
file_put_contents($file, substr_replace($envelope, "\xff", 40, 1));
ini_set('session.use_strict_mode', '1');                          // same, via validate_sid
attempt($id);
ini_set('session.use_strict_mode', '0');
file_put_contents($file, substr($envelope, 0, 10));                // truncated
attempt($id);
file_put_contents($file, substr_replace($envelope, str_repeat("\x42", 8), 5, 8)); // unknown key id
attempt($id);
reset_file();
symlink(rustenc_file($dir, 'other'), $file);                      // symbolic link
attempt($id);
reset_file();
file_put_contents($file, $good);
link($file, "$dir/hardlink");                                     // hard link
attempt($id);
unlink("$dir/hardlink");
reset_file();
mkdir($file);                                                     // a directory
attempt($id);
reset_file();
file_put_contents($file, $good);
ini_set('rustenc.max_size', '20');                                // too large to read
attempt($id);
ini_set('rustenc.max_size', '1000');                              // too large to write
attempt($id);
attempt($id . '.');                                               // invalid id
attempt($id . str_repeat('x', 300));                              // id too long

// Locked by another process.
$args = [PHP_BINARY, '-n', '-d', 'extension=' . rustenc_so(), '-d', 'session.save_handler=rustenc',
    '-d', "session.save_path=$dir", '-d', 'session.use_cookies=0', '-d', 'session.cache_limiter=',
    '-r', 'session_id("' . $id . '"); session_start(); touch("' . $dir . '/locked"); sleep(2);'];
$holder = proc_open($args, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, ['RUSTENC_KEY' => getenv('RUSTENC_TEST_KEY')]);
for ($i = 0; $i < 500 && !file_exists("$dir/locked"); $i++) usleep(10000);
ini_set('rustenc.lock_timeout_ms', '100');
attempt($id);
stream_get_contents($pipes[1]);
proc_close($holder);

foreach (explode("\n", $all) as $line) {
    if (str_contains($line, 'rustenc: ')) {
        echo preg_replace(['#^.*rustenc: #', '# in \S+ on line \d+$#'], '', $line), "\n";
    }
}
var_dump(str_contains($all, $id));
var_dump(str_contains($all, substr($id, 0, 7)));
var_dump(substr_count($all, 'Secret…'));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECTF--
session Secret… cannot be read: authentication failed (the file was modified, or belongs to another session id); it was set aside as rustenc_Secret….unreadable-%s in %s/rustenc-phpt-079 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session
session Secret… cannot be read: authentication failed (the file was modified, or belongs to another session id); the file was left untouched
session Secret… cannot be read: truncated file (10 bytes, an envelope has at least 73); it was set aside as rustenc_Secret….unreadable-%s in %s/rustenc-phpt-079 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session
session Secret… cannot be read: sealed with unknown key id 4242424242424242 (not the configured key); it was set aside as rustenc_Secret….unreadable-%s in %s/rustenc-phpt-079 (gc removes it after session.gc_maxlifetime; if the right key comes back, rename it to the session's name to restore it) and the request goes on with an empty session
session file for id Secret… in %s/rustenc-phpt-079 is a symbolic link; refusing to use it (it was left in place: remove it once you know where it came from)
session file for id Secret… in %s/rustenc-phpt-079 is a hard link (2 names share it); refusing to use it (it was left in place: remove it once you know where it came from)
session file for id Secret… in %s/rustenc-phpt-079 is a directory; refusing to use it (it was left in place: remove it once you know where it came from)
session Secret… is 3020 bytes, more than rustenc.max_size (20 bytes); raise rustenc.max_size or store less in $_SESSION (the stored session was left as it was)
session Secret… is 3020 bytes, more than rustenc.max_size (1000 bytes); raise rustenc.max_size or store less in $_SESSION (the stored session was left as it was)
session id Secret… is invalid: it holds characters outside A-Z a-z 0-9 , -; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long
session id Secret… is invalid: it is longer than 256 characters; ids use only A-Z a-z 0-9 , - and are 1 to 256 characters long
session Secret… is locked by another request and the lock was not released within 100 ms (rustenc.lock_timeout_ms); the request stops here rather than run without the lock
bool(false)
bool(false)
int(15)
