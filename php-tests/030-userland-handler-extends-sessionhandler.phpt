--TEST--
A userland class extending SessionHandler, calling parent::, works on top of rustenc
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
session.gc_maxlifetime=1440
--FILE--
<?php
require __DIR__ . '/inc/rustenc.inc';
$dir = rustenc_setup(rustenc_test());

class LoggingHandler extends SessionHandler {
    public array $log = [];
    public function open(string $path, string $name): bool {
        $ok = parent::open($path, $name);
        $this->log[] = "open(" . ($path === ini_get('session.save_path') ? 'save_path' : $path) . ", $name) = " . var_export($ok, true);
        return $ok;
    }
    public function read(string $id): string|false {
        $data = parent::read($id);
        $this->log[] = "read = " . var_export($data, true);
        return $data;
    }
    public function write(string $id, string $data): bool {
        $ok = parent::write($id, $data);
        $this->log[] = "write($data) = " . var_export($ok, true);
        return $ok;
    }
    public function close(): bool {
        $ok = parent::close();
        $this->log[] = "close = " . var_export($ok, true);
        return $ok;
    }
    public function destroy(string $id): bool {
        $ok = parent::destroy($id);
        $this->log[] = "destroy = " . var_export($ok, true);
        return $ok;
    }
    public function gc(int $max_lifetime): int|false {
        $n = parent::gc($max_lifetime);
        $this->log[] = "gc($max_lifetime) = " . var_export($n, true);
        return $n;
    }
    public function flush(): void {
        echo implode("\n", $this->log), "\n--\n";
        $this->log = [];
    }
}

$h = new LoggingHandler();
var_dump(session_set_save_handler($h, true));

session_start();
$id = session_id();
$_SESSION['secret'] = 'handler-secret-42';
session_write_close();
$h->flush();

$file = rustenc_file($dir, $id);
$bytes = file_get_contents($file);
var_dump(substr(rustenc_newest($bytes)[1], 0, 4), str_contains($bytes, 'handler-secret-42'), str_contains($bytes, 'secret|'));

// Plain rustenc (no userland handler) in another process reads the same data.
echo rustenc_child('session_id("' . $id . '"); session_start(); var_dump($_SESSION); session_write_close();', ['session.save_handler' => 'rustenc']);

session_id($id);
session_start();
var_dump($_SESSION);
var_dump(session_gc());
var_dump(session_destroy());
$h->flush();
clearstatcache();
var_dump(file_exists($file));
?>
--CLEAN--
<?php
require __DIR__ . '/inc/rustenc.inc';
rustenc_cleanup(rustenc_test());
?>
--EXPECT--
bool(true)
open(save_path, PHPSESSID) = true
read = ''
write(secret|s:17:"handler-secret-42";) = true
close = true
--
string(4) "RENC"
bool(false)
bool(false)
array(1) {
  ["secret"]=>
  string(17) "handler-secret-42"
}
array(1) {
  ["secret"]=>
  string(17) "handler-secret-42"
}
int(0)
bool(true)
open(save_path, PHPSESSID) = true
read = 'secret|s:17:"handler-secret-42";'
gc(1440) = 0
destroy = true
close = true
--
bool(false)
