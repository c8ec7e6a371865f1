<?php
// A userland AES-256-GCM session handler, written the way a competent PHP
// developer would, as the baseline rustenc is measured against. Benchmark
// only: it is loaded with auto_prepend_file and registers itself.
//
// * key: 32 bytes from the environment (base64, as RUSTENC_KEY), stretched
//   with HKDF-SHA256 once per process (per request under php-fpm, where
//   nothing survives a request);
// * every write: fresh random 12-byte IV, 16-byte tag, the session id as
//   associated data (a file copied to another id does not open);
// * binary framing: "UAE1" | iv (12) | tag (16) | ciphertext; no string
//   joining, no base64;
// * writes with file_put_contents(LOCK_EX); reads with flock(LOCK_SH);
//   with USERLAND_ATOMIC=1 in the environment, writes go to a temporary file
//   renamed over the session instead (the crash safety rustenc gives), for
//   bench/atomicity-cost;
// * lazy_write: updateTimestamp() touches the file instead of resealing,
//   validateId() for strict mode.

final class BenchUserlandAesHandler implements SessionHandlerInterface, SessionUpdateTimestampHandlerInterface
{
    private const MAGIC = "UAE1";
    private const IV_LEN = 12;
    private const TAG_LEN = 16;
    private const PREFIX = 'uaes_';

    private static ?string $key = null;
    private string $dir = '';

    private static function key(): string
    {
        if (self::$key === null) {
            $secret = base64_decode((string) getenv('USERLAND_SESSION_KEY'), true);
            if ($secret === false || strlen($secret) !== 32) {
                throw new RuntimeException('USERLAND_SESSION_KEY must be 32 bytes, base64');
            }
            self::$key = hash_hkdf('sha256', $secret, 32, 'bench userland aes-256-gcm', 'bench');
        }
        return self::$key;
    }

    private function path(string $id): string
    {
        return $this->dir . '/' . self::PREFIX . $id;
    }

    public function open(string $path, string $name): bool
    {
        $this->dir = rtrim($path !== '' ? $path : sys_get_temp_dir(), '/');
        self::key();
        return is_dir($this->dir);
    }

    public function close(): bool
    {
        return true;
    }

    public function read(string $id): string|false
    {
        $fp = @fopen($this->path($id), 'rb');
        if ($fp === false) {
            return '';   // new session
        }
        flock($fp, LOCK_SH);
        $blob = stream_get_contents($fp);
        flock($fp, LOCK_UN);
        fclose($fp);
        if ($blob === false || $blob === '') {
            return '';
        }
        $head = strlen(self::MAGIC) + self::IV_LEN + self::TAG_LEN;
        if (strlen($blob) < $head || strncmp($blob, self::MAGIC, 4) !== 0) {
            trigger_error('userland aes: malformed session file', E_USER_WARNING);
            return false;
        }
        $iv = substr($blob, 4, self::IV_LEN);
        $tag = substr($blob, 4 + self::IV_LEN, self::TAG_LEN);
        $plain = openssl_decrypt(substr($blob, $head), 'aes-256-gcm', self::key(),
            OPENSSL_RAW_DATA, $iv, $tag, self::MAGIC . $id);
        if ($plain === false) {
            trigger_error('userland aes: authentication failed', E_USER_WARNING);
            return false;
        }
        return $plain;
    }

    public function write(string $id, string $data): bool
    {
        $iv = random_bytes(self::IV_LEN);
        $tag = '';
        $cipher = openssl_encrypt($data, 'aes-256-gcm', self::key(), OPENSSL_RAW_DATA,
            $iv, $tag, self::MAGIC . $id, self::TAG_LEN);
        if ($cipher === false) {
            return false;
        }
        $bytes = self::MAGIC . $iv . $tag . $cipher;
        if (getenv('USERLAND_ATOMIC') !== '1') {
            return file_put_contents($this->path($id), $bytes, LOCK_EX) !== false;
        }
        $temp = $this->path($id) . '.tmp' . getmypid();
        return file_put_contents($temp, $bytes, LOCK_EX) !== false && rename($temp, $this->path($id));
    }

    public function destroy(string $id): bool
    {
        $path = $this->path($id);
        return !file_exists($path) || unlink($path);
    }

    public function gc(int $max_lifetime): int|false
    {
        $n = 0;
        $limit = time() - $max_lifetime;
        foreach (glob($this->dir . '/' . self::PREFIX . '*', GLOB_NOSORT) ?: [] as $file) {
            if (@filemtime($file) < $limit && @unlink($file)) {
                $n++;
            }
        }
        return $n;
    }

    public function validateId(string $id): bool
    {
        return file_exists($this->path($id));
    }

    public function updateTimestamp(string $id, string $data): bool
    {
        return touch($this->path($id));
    }
}

session_set_save_handler(new BenchUserlandAesHandler(), true);
