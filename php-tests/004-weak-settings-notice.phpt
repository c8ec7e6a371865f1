--TEST--
One notice per request names weak session settings and their fix; rustenc.check_settings=0 silences it
--EXTENSIONS--
session
--ENV--
RUSTENC_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
RUSTENC_TEST_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.use_only_cookies=0
session.sid_length=26
rustenc.check_settings=1
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
ob_start();
$dir = rustenc_setup('004');
echo "first start:\n";
session_start();
session_write_close();
echo "second start, same request:\n";
session_start();
session_regenerate_id(true);
session_write_close();

echo "recommended settings:\n";
echo rustenc_child('session_start(); echo "no notice\n";', [
    'session.use_strict_mode' => '1', 'session.use_only_cookies' => '1', 'session.sid_length' => '32',
    'rustenc.check_settings' => '1']);
echo "silenced:\n";
echo rustenc_child('session_start(); echo "no notice\n";', [
    'session.use_strict_mode' => '0', 'rustenc.check_settings' => '0']);
echo "one weak setting:\n";
echo rustenc_child('session_start(); echo "done\n";', [
    'session.use_strict_mode' => '1', 'session.use_only_cookies' => '1', 'session.sid_length' => '22',
    'rustenc.check_settings' => '1']);
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup('004');
?>
--EXPECTF--
first start:

Notice: session_start(): rustenc: weak session settings: session.use_strict_mode=0 (set 1, so ids the server did not issue are refused); session.use_only_cookies=0 (set 1, so ids in URLs cannot fix a user's session); session.sid_length=26 (set 32 or more); see "Recommended session settings" in rustenc's README (rustenc.check_settings=0 silences this notice) in %s on line %d
second start, same request:
recommended settings:
no notice
silenced:
no notice
one weak setting:

Notice: session_start(): rustenc: weak session settings: session.sid_length=22 (set 32 or more); see "Recommended session settings" in rustenc's README (rustenc.check_settings=0 silences this notice) in Command line code on line 1
done
