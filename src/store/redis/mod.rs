//! The Redis/Valkey store: sessions shared by several web servers.
//!
//! What Redis sees: key names that are a keyed hash of the session id (an
//! HMAC under a subkey of the rustenc key, see [`Names`]) and values that are
//! sealed envelopes; never an id, never plaintext.
//!
//! Locking, per request, with the server's own primitives:
//!
//! - a 128-bit token from the OS random source (`getrandom`, through ring:
//!   no generator state that a fork could copy into two workers);
//! - acquire-and-read in one round trip ([`ACQUIRE`]: `SET lock token NX PX
//!   lease`, then `GET data`), retried with jittered exponential backoff
//!   (sleeping, never spinning) until `rustenc.lock_timeout_ms`;
//! - a wall-clock lease (`rustenc.lock_lease_ms`), extended by every fenced
//!   operation of the holder, so a lock can never outlive a crashed or stuck
//!   request by more than one lease, and a request that sleeps past it loses
//!   it;
//! - fenced writes ([`WRITE`], [`TOUCH`], [`DESTROY`], [`SET_ASIDE`]): one
//!   script checks that the token still owns the lock and writes, or refuses
//!   ([`Error::LockLost`]);
//! - release by compare-and-delete: `DELIFEQ` (Valkey 9) or `DELEX … IFEQ`
//!   (Redis 8.4) where the server has it, else [`RELEASE`].
//!
//! Expiry is Redis's: every write sets the TTL to `session.gc_maxlifetime`,
//! `touch` (lazy_write) extends it; gc does nothing.
//!
//! Connections are opened lazily, one per save path per process, reused by
//! the next request, dropped after any error or timeout (its reply stream
//! may be out of step) and when the process id changed (php-fpm forks
//! workers from the master).

pub mod save_path;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant, SystemTime},
};

use ring::{hmac, rand::SecureRandom};

use crate::{
    error::{Error, Result},
    id::SessionId,
    keys::KeyRing,
    store::{LockedSession, SessionSnapshot, SessionStore},
};

pub use save_path::{is_redis, Auth, Config, Target};

/// The lock lease when `rustenc.lock_lease_ms` is not set: PHP's default
/// `max_execution_time`, so a request PHP lets run keeps its lock, and a
/// crashed one blocks its session for at most this long.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// Acquire-and-read. KEYS: lock, data. ARGV: token, lease ms.
/// Returns `{1, data or nil, data's PTTL}` or `{0, nil, lock's PTTL}`.
const ACQUIRE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2]), redis.call('PTTL', KEYS[2])}
end
return {0, false, redis.call('PTTL', KEYS[1])}
";

/// Fenced write. KEYS: lock, data. ARGV: token, value, ttl ms, lease ms,
/// release (1: delete the lock after writing, the request's last step).
/// Returns 1, or 0 when the token no longer owns the lock.
const WRITE: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if ARGV[5] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
";

/// Fenced touch (lazy_write). KEYS: lock, data. ARGV: token, ttl ms, lease ms.
const TOUCH: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
";

/// Fenced destroy and release. KEYS: lock, data. ARGV: token.
const DESTROY: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
return 1
";

/// Destroy of a session this request does not hold: only if no one does.
/// KEYS: lock, data.
const DESTROY_UNLOCKED: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2])
return 1
";

/// Fenced set-aside. KEYS: lock, data, aside. ARGV: token, fresh, ttl ms, lease ms.
const SET_ASIDE: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('RENAME', KEYS[2], KEYS[3])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
";

/// Compare-and-delete, where the server has no native one. KEYS: lock. ARGV: token.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
";

/// How the server releases a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Valkey 9's `DELIFEQ key value`.
    DelIfEq,
    /// Redis 8.4's `DELEX key IFEQ value`.
    DelEx,
    /// A Lua script ([`RELEASE`]).
    Script,
}

impl Release {
    /// For reports.
    pub fn describe(self) -> &'static str {
        match self {
            Release::DelIfEq => "native (DELIFEQ)",
            Release::DelEx => "native (DELEX IFEQ)",
            Release::Script => {
                "scripted (Lua: compare-and-delete; the server has no DELIFEQ/DELEX)"
            }
        }
    }
}

/// A connection of any kind.
enum Conn {
    Single(redis::Connection),
    Cluster(Box<redis::cluster::ClusterConnection>),
}

impl Conn {
    fn get(&mut self) -> &mut dyn redis::ConnectionLike {
        match self {
            Conn::Single(c) => c,
            Conn::Cluster(c) => c.as_mut(),
        }
    }
}

/// One save path's connection in this process.
struct Slot {
    pid: u32,
    conn: Conn,
    release: Release,
}

/// What is shared by every request of a process for one save path.
pub struct Shared {
    config: Config,
    /// The password in use (from the save path, or from startup's
    /// `RUSTENC_REDIS_PASSWORD` / `rustenc.redis_password_file`).
    auth: Option<Auth>,
    server: String,
    location: PathBuf,
    slot: Mutex<Option<Slot>>,
}

impl Shared {
    /// Runs `f` on this process's connection, opening one if needed. Any
    /// error drops the connection: its replies may be out of step.
    fn with<T>(
        &self,
        op: &'static str,
        f: impl FnOnce(&mut dyn redis::ConnectionLike, Release) -> redis::RedisResult<T>,
    ) -> Result<T> {
        let mut guard = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        let pid = std::process::id();
        let mut slot = match guard.take() {
            Some(slot) if slot.pid == pid => slot,
            // Another process's (forked from it): never used, and not closed
            // either (dropping it here would only close our copy of the fd).
            _ => self.connect()?,
        };
        match f(slot.conn.get(), slot.release) {
            Ok(v) => {
                if self.config.persistent {
                    *guard = Some(slot);
                }
                Ok(v)
            }
            Err(e) => Err(self.error(op, &e)),
        }
    }

    fn error(&self, op: &'static str, e: &redis::RedisError) -> Error {
        Error::Redis {
            server: self.server.clone(),
            op,
            cause: describe(e),
        }
    }

    fn connect(&self) -> Result<Slot> {
        let conn = self.open().map_err(|e| self.error("connect", &e))?;
        let mut slot = Slot {
            pid: std::process::id(),
            conn,
            release: Release::Script,
        };
        slot.release = native_release(slot.conn.get()).map_err(|e| self.error("connect", &e))?;
        Ok(slot)
    }

    fn redis_info(&self) -> redis::RedisConnectionInfo {
        let mut info = redis::RedisConnectionInfo::default()
            .set_db(self.config.database)
            .set_lib_name("rustenc", env!("CARGO_PKG_VERSION"));
        if let Some(auth) = &self.auth {
            if let Some(user) = &auth.user {
                info = info.set_username(user);
            }
            info = info.set_password(&auth.password);
        }
        info
    }

    fn open(&self) -> redis::RedisResult<Conn> {
        let c = &self.config;
        let single = |addr: redis::ConnectionAddr| -> redis::RedisResult<Conn> {
            let info = redis::IntoConnectionInfo::into_connection_info(addr)?
                .set_redis_settings(self.redis_info());
            let client = redis::Client::open(info)?;
            let conn = client.get_connection_with_timeout(c.timeout)?;
            conn.set_read_timeout(Some(c.read_timeout))?;
            conn.set_write_timeout(Some(c.read_timeout))?;
            Ok(Conn::Single(conn))
        };
        match &c.target {
            Target::Tcp { host, port, tls } => {
                if *tls {
                    tls_provider();
                    single(redis::ConnectionAddr::TcpTls {
                        host: host.clone(),
                        port: *port,
                        insecure: false,
                        tls_params: None,
                    })
                } else {
                    single(redis::ConnectionAddr::Tcp(host.clone(), *port))
                }
            }
            Target::Unix(path) => single(redis::ConnectionAddr::Unix(path.clone())),
            Target::Cluster { seeds, tls } => {
                let nodes: Vec<redis::ConnectionInfo> = seeds
                    .iter()
                    .map(|(h, p)| {
                        redis::IntoConnectionInfo::into_connection_info(redis::ConnectionAddr::Tcp(
                            h.clone(),
                            *p,
                        ))
                    })
                    .collect::<redis::RedisResult<_>>()?;
                let mut b = redis::cluster::ClusterClientBuilder::new(nodes)
                    .connection_timeout(c.timeout)
                    .response_timeout(c.read_timeout)
                    .retries(0);
                if let Some(auth) = &self.auth {
                    if let Some(user) = &auth.user {
                        b = b.username(user.clone());
                    }
                    b = b.password(auth.password.clone());
                }
                if *tls {
                    tls_provider();
                    b = b.tls(redis::TlsMode::Secure);
                }
                Ok(Conn::Cluster(Box::new(b.build()?.get_connection()?)))
            }
            Target::Sentinel {
                sentinels,
                service,
                tls,
            } => {
                let addrs = sentinels
                    .iter()
                    .map(|(h, p)| redis::ConnectionAddr::Tcp(h.clone(), *p));
                let mut b = redis::sentinel::SentinelClientBuilder::new(
                    addrs,
                    service,
                    redis::sentinel::SentinelServerType::Master,
                )?
                .set_client_to_redis_db(c.database);
                if let Some(auth) = &self.auth {
                    if let Some(user) = &auth.user {
                        b = b.set_client_to_redis_username(user);
                    }
                    b = b.set_client_to_redis_password(&auth.password);
                }
                if *tls {
                    tls_provider();
                    b = b.set_client_to_redis_tls_mode(redis::TlsMode::Secure);
                }
                let client = b.build()?.get_client()?;
                let conn = client.get_connection_with_timeout(c.timeout)?;
                conn.set_read_timeout(Some(c.read_timeout))?;
                conn.set_write_timeout(Some(c.read_timeout))?;
                Ok(Conn::Single(conn))
            }
        }
    }

    /// Compare-and-delete of `lock` if it still holds `token`. A failure is
    /// left to the lease, which ends the lock anyway.
    fn release(&self, lock: &str, token: &str) {
        let _ = self.with("release a lock", |con, release| match release {
            Release::DelIfEq => redis::cmd("DELIFEQ").arg(lock).arg(token).query::<i64>(con),
            Release::DelEx => redis::cmd("DELEX")
                .arg(lock)
                .arg("IFEQ")
                .arg(token)
                .query::<i64>(con),
            Release::Script => redis::Script::new(RELEASE)
                .key(lock)
                .arg(token)
                .invoke::<i64>(con),
        });
    }

    /// Connects (or reuses this process's connection) and reports the
    /// server's version and how locks are released.
    pub fn server_report(&self) -> Result<(String, Release)> {
        self.with("read the server's version", |con, release| {
            let info: String = redis::cmd("INFO").arg("server").query(con)?;
            Ok((server_version(&info), release))
        })
    }

    /// The server, for messages (never the password).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The parsed save path.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether the password was given in the save path, where phpinfo()
    /// shows it.
    pub fn password_in_save_path(&self) -> bool {
        self.config.auth.is_some()
    }
}

/// "redis 7.0.15" or "valkey 8.1.1", from `INFO server`.
fn server_version(info: &str) -> String {
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(':')))
            .map(|v| v.trim().to_string())
    };
    match field("valkey_version") {
        Some(v) => format!("valkey {v}"),
        None => format!(
            "redis {}",
            field("redis_version").unwrap_or_else(|| "(unknown version)".into())
        ),
    }
}

/// Whether the server has a native compare-and-delete.
fn native_release(con: &mut dyn redis::ConnectionLike) -> redis::RedisResult<Release> {
    let info: Vec<redis::Value> = redis::cmd("COMMAND")
        .arg("INFO")
        .arg("delifeq")
        .arg("delex")
        .query(con)?;
    let has = |i: usize| info.get(i).is_some_and(|v| !matches!(v, redis::Value::Nil));
    Ok(if has(0) {
        Release::DelIfEq
    } else if has(1) {
        Release::DelEx
    } else {
        Release::Script
    })
}

/// rustls needs a process-wide crypto provider: ring's, which rustenc already
/// carries for the envelope.
fn tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A Redis error as an operator reads it.
fn describe(e: &redis::RedisError) -> String {
    let text = e.to_string();
    if e.is_timeout() {
        format!("timed out ({text}); raise timeout= / read_timeout= in session.save_path if the server is slow")
    } else if e.is_connection_refusal() {
        format!("connection refused ({text}); is the server running?")
    } else if text.contains("WRONGPASS")
        || text.contains("NOAUTH")
        || text.contains("invalid password")
        || text.contains("AuthenticationFailed")
    {
        format!("authentication refused ({text}); check the password")
    } else if text.contains("DB index is out of range") || text.contains("invalid DB index") {
        format!("the database number is refused ({text}); check database= in session.save_path against the server's 'databases' setting")
    } else {
        text
    }
}

/// Every save path's shared state in this process.
static SHARED: Mutex<Option<HashMap<String, Arc<Shared>>>> = Mutex::new(None);

/// The shared state for `value`, parsed once per process. `password` is the
/// one read at startup, used when the save path gives none.
pub fn shared(value: &str, password: Option<&str>) -> Result<Arc<Shared>> {
    let mut map = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    let map = map.get_or_insert_with(HashMap::new);
    if let Some(s) = map.get(value) {
        return Ok(s.clone());
    }
    let config = Config::parse(value).map_err(|why| Error::RedisSavePath {
        value: masked(value),
        why,
    })?;
    let auth = config.auth.clone().or_else(|| {
        password.map(|p| Auth {
            user: None,
            password: p.to_string(),
        })
    });
    let server = config.server();
    let shared = Arc::new(Shared {
        location: PathBuf::from(format!("redis {server}")),
        server,
        auth,
        config,
        slot: Mutex::new(None),
    });
    map.insert(value.to_string(), shared.clone());
    Ok(shared)
}

/// A save path as it may appear in messages: any password replaced.
pub fn masked(value: &str) -> String {
    let mut out = value.to_string();
    for marker in [
        "auth=",
        "auth[]=",
        "auth%5B%5D=",
        "auth[pass]=",
        "auth[password]=",
    ] {
        let mut from = 0;
        while let Some(i) = out[from..].find(marker) {
            let start = from + i + marker.len();
            let end = out[start..].find('&').map_or(out.len(), |j| start + j);
            out.replace_range(start..end, "***");
            from = start + 3;
        }
    }
    if let Some(scheme) = out.find("://") {
        let rest = scheme + 3;
        let end = out[rest..].find(['/', '?']).map_or(out.len(), |j| rest + j);
        if let Some(at) = out[rest..end].rfind('@') {
            out.replace_range(rest..rest + at, "***");
        }
    }
    out
}

/// The key names of sessions: `prefix{HMAC(id)}` for the data and
/// `prefix{HMAC(id)}:lock` for the lock, so both hash to one cluster slot.
///
/// The HMAC key is derived (HKDF) from the current rustenc key. A session
/// sealed under a previous key is still found: when the current name holds
/// nothing, the names under the previous keys are read (one more round trip
/// each, only for sessions not yet under the current name), and the next
/// write moves the session to the current name.
#[derive(Clone)]
pub struct Names {
    prefix: String,
    current: hmac::Key,
    previous: Vec<hmac::Key>,
}

impl Names {
    /// Names under the keys of `ring`.
    pub fn new(prefix: &str, ring: &KeyRing) -> Names {
        let derive = |key: &crate::keys::Key| {
            let okm = key
                .prk()
                .expand(&[b"rustenc redis key names"], hmac::HMAC_SHA256)
                .expect("32 bytes is within HKDF-SHA256's output limit");
            hmac::Key::from(okm)
        };
        Names {
            prefix: prefix.to_string(),
            current: derive(ring.current()),
            previous: ring.previous().iter().map(derive).collect(),
        }
    }

    fn data_with(&self, key: &hmac::Key, id: SessionId<'_>) -> String {
        let tag = hmac::sign(key, id.as_bytes());
        format!("{}{{{}}}", self.prefix, crate::hex(&tag.as_ref()[..16]))
    }

    /// The data key of `id`.
    pub fn data(&self, id: SessionId<'_>) -> String {
        self.data_with(&self.current, id)
    }

    /// The lock key of `id`.
    pub fn lock(&self, id: SessionId<'_>) -> String {
        format!("{}:lock", self.data(id))
    }

    /// The data keys `id` had under previous keys.
    fn previous(&self, id: SessionId<'_>) -> impl Iterator<Item = String> + '_ {
        let id = id.as_str().to_string();
        self.previous.iter().map(move |k| {
            self.data_with(k, SessionId::new(id.as_bytes()).expect("validated before"))
        })
    }
}

/// What one try to lock found: the data and its PTTL, or (`Err`) the PTTL
/// of another request's lock.
type Acquired = std::result::Result<(Option<Vec<u8>>, i64), i64>;

/// One request's view of a Redis store.
pub struct Store {
    shared: Arc<Shared>,
    names: Names,
    /// `session.gc_maxlifetime`: the TTL of every write.
    ttl: Duration,
    /// `rustenc.lock_lease_ms`.
    lease: Duration,
}

impl Store {
    /// A store over `shared` for one request.
    pub fn new(shared: Arc<Shared>, names: Names, ttl: Duration, lease: Duration) -> Store {
        Store {
            shared,
            names,
            ttl: ttl.max(Duration::from_secs(1)),
            lease: lease.max(Duration::from_millis(1)),
        }
    }

    /// The shared state (for reports).
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    fn ms(d: Duration) -> u64 {
        d.as_millis().max(1) as u64
    }

    fn lost(&self, id: SessionId<'_>, locked: &Locked) -> Error {
        Error::LockLost {
            id: id.prefix(),
            server: self.shared.server.clone(),
            held_ms: locked.acquired.elapsed().as_millis() as u64,
            lease_ms: Self::ms(self.lease),
        }
    }

    /// Tries once to lock `id`: `Ok(Err(pttl))` when another request holds it.
    fn try_acquire(&self, id: SessionId<'_>, token: &str) -> Result<Acquired> {
        let lock = self.names.lock(id);
        let data = self.names.data(id);
        let (got, bytes, pttl): (i64, Option<Vec<u8>>, i64) =
            self.shared.with("lock a session", |con, _| {
                redis::Script::new(ACQUIRE)
                    .key(&lock)
                    .key(&data)
                    .arg(token)
                    .arg(Self::ms(self.lease))
                    .invoke(con)
            })?;
        Ok(if got == 1 {
            Ok((bytes, pttl))
        } else {
            Err(pttl)
        })
    }

    /// Reads the session from the names under previous keys, when the
    /// current one holds nothing.
    fn read_previous(&self, id: SessionId<'_>) -> Result<Option<(Vec<u8>, i64, String)>> {
        for name in self.names.previous(id) {
            let (bytes, pttl): (Option<Vec<u8>>, i64) =
                self.shared.with("read a session", |con, _| {
                    redis::pipe().get(&name).pttl(&name).query(con)
                })?;
            if let Some(bytes) = bytes {
                return Ok(Some((bytes, pttl, name)));
            }
        }
        Ok(None)
    }

    fn modified(&self, pttl: i64) -> SystemTime {
        let left = Duration::from_millis(pttl.max(0) as u64);
        let now = SystemTime::now();
        if pttl < 0 {
            return now;
        }
        now.checked_sub(self.ttl.saturating_sub(left))
            .unwrap_or(now)
    }

    fn fenced(&self, id: SessionId<'_>, locked: &mut Locked, ok: i64) -> Result<()> {
        if ok == 1 {
            Ok(())
        } else {
            locked.released = true;
            Err(self.lost(id, locked))
        }
    }

    /// A fenced write that also releases the lock: the request's last step
    /// (PHP calls close right after write), saving the release round trip.
    /// The lock is gone afterwards, whatever the outcome.
    pub fn replace_and_release(
        &self,
        id: SessionId<'_>,
        locked: &mut Locked,
        bytes: &[u8],
    ) -> Result<()> {
        self.write(id, locked, bytes, true)
    }

    fn write(
        &self,
        id: SessionId<'_>,
        locked: &mut Locked,
        bytes: &[u8],
        release: bool,
    ) -> Result<()> {
        if locked.released {
            return Err(self.lost(id, locked));
        }
        let ok: i64 = self.shared.with("write a session", |con, _| {
            redis::Script::new(WRITE)
                .key(&locked.lock)
                .key(&locked.data)
                .arg(&locked.token)
                .arg(bytes)
                .arg(Self::ms(self.ttl))
                .arg(Self::ms(self.lease))
                .arg(if release { "1" } else { "0" })
                .invoke(con)
        })?;
        self.fenced(id, locked, ok)?;
        locked.in_store = true;
        locked.modified = SystemTime::now();
        if release {
            locked.released = true;
        }
        if let Some(old) = locked.moved_from.take() {
            // The session now lives under the current key's name.
            let _ = self.shared.with("remove a session's old name", |con, _| {
                redis::cmd("DEL").arg(&old).query::<i64>(con)
            });
        }
        Ok(())
    }

    fn new_token() -> Result<String> {
        let mut token = [0u8; 16];
        ring::rand::SystemRandom::new()
            .fill(&mut token)
            .map_err(|_| Error::Random)?;
        Ok(crate::hex(&token))
    }
}

/// Sleeps before the next try to take a lock: exponential from 1 ms up to
/// 64 ms, each sleep drawn at random between half and all of it, so waiters
/// do not wake in step.
fn backoff(round: u32, left: Duration) {
    let max = Duration::from_millis(1u64 << round.min(6));
    let mut b = [0u8; 1];
    let _ = ring::rand::SystemRandom::new().fill(&mut b);
    let d = max / 2 + max.mul_f64(f64::from(b[0]) / 512.0);
    std::thread::sleep(d.min(left));
}

/// A session this request holds locked on Redis.
pub struct Locked {
    shared: Arc<Shared>,
    lock: String,
    data: String,
    token: String,
    acquired: Instant,
    /// What was read at lock time (the sealed envelope).
    bytes: Vec<u8>,
    /// Whether the server holds the session (a new one is not written until
    /// the request writes or touches it).
    in_store: bool,
    modified: SystemTime,
    /// The name under a previous key it was read from, removed once written
    /// under the current name.
    moved_from: Option<String>,
    /// The lock was released (or lost): nothing is written under it.
    released: bool,
}

impl LockedSession for Locked {
    fn modified(&self) -> SystemTime {
        self.modified
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        if !self.released {
            self.shared.release(&self.lock, &self.token);
        }
    }
}

/// A session read without its lock (strict mode's validate).
pub struct Snapshot {
    bytes: Vec<u8>,
    digest: ring::digest::Digest,
    modified: SystemTime,
}

impl SessionSnapshot for Snapshot {
    fn modified(&self) -> SystemTime {
        self.modified
    }
    fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}

fn too_large(id: SessionId<'_>, len: usize, max: u64) -> Result<()> {
    if len as u64 > max {
        return Err(Error::TooLarge {
            id: id.prefix(),
            size: len as u64,
            max,
        });
    }
    Ok(())
}

impl SessionStore for Store {
    type Locked = Locked;
    type Snapshot = Snapshot;

    fn location(&self) -> &Path {
        &self.shared.location
    }

    fn lock(
        &self,
        id: SessionId<'_>,
        timeout: Duration,
        fresh: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Locked> {
        let token = Self::new_token()?;
        let start = Instant::now();
        let mut round = 0;
        let (bytes, pttl) = loop {
            match self.try_acquire(id, &token)? {
                Ok(found) => break found,
                Err(_) => {
                    let waited = start.elapsed();
                    if waited >= timeout {
                        return Err(Error::LockTimeout {
                            id: id.prefix(),
                            ms: timeout.as_millis() as u64,
                        });
                    }
                    backoff(round, timeout - waited);
                    round += 1;
                }
            }
        };
        let mut locked = Locked {
            shared: self.shared.clone(),
            lock: self.names.lock(id),
            data: self.names.data(id),
            token,
            acquired: Instant::now(),
            bytes: Vec::new(),
            in_store: true,
            modified: self.modified(pttl),
            moved_from: None,
            released: false,
        };
        match bytes {
            Some(b) => locked.bytes = b,
            None => match self.read_previous(id)? {
                Some((b, pttl, name)) => {
                    locked.bytes = b;
                    locked.modified = self.modified(pttl);
                    locked.moved_from = Some(name);
                    locked.in_store = false;
                }
                None => {
                    locked.bytes = fresh()?;
                    locked.in_store = false;
                    locked.modified = SystemTime::now();
                }
            },
        }
        Ok(locked)
    }

    fn read(&self, id: SessionId<'_>, locked: &Locked, max: u64) -> Result<Vec<u8>> {
        too_large(id, locked.bytes.len(), max)?;
        Ok(locked.bytes.clone())
    }

    fn replace(&self, id: SessionId<'_>, locked: &mut Locked, bytes: &[u8]) -> Result<()> {
        self.write(id, locked, bytes, false)
    }

    fn touch(&self, id: SessionId<'_>, locked: &mut Locked) -> Result<()> {
        if locked.released {
            return Err(self.lost(id, locked));
        }
        if !locked.in_store {
            // A new session (or one under a previous key's name): write what
            // was read, so it exists under the current name.
            let bytes = std::mem::take(&mut locked.bytes);
            let r = self.write(id, locked, &bytes, false);
            locked.bytes = bytes;
            return r;
        }
        let ok: i64 = self.shared.with("touch a session", |con, _| {
            redis::Script::new(TOUCH)
                .key(&locked.lock)
                .key(&locked.data)
                .arg(&locked.token)
                .arg(Self::ms(self.ttl))
                .arg(Self::ms(self.lease))
                .invoke(con)
        })?;
        self.fenced(id, locked, ok)?;
        locked.modified = SystemTime::now();
        Ok(())
    }

    fn set_aside(&self, id: SessionId<'_>, locked: &mut Locked, fresh: &[u8]) -> Result<String> {
        if locked.released {
            return Err(self.lost(id, locked));
        }
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .to_string();
        let aside = format!("{}:unreadable-{stamp}", locked.data);
        let ok: i64 = self.shared.with("set a session aside", |con, _| {
            redis::Script::new(SET_ASIDE)
                .key(&locked.lock)
                .key(&locked.data)
                .key(&aside)
                .arg(&locked.token)
                .arg(fresh)
                .arg(Self::ms(self.ttl))
                .arg(Self::ms(self.lease))
                .invoke(con)
        })?;
        self.fenced(id, locked, ok)?;
        locked.bytes = fresh.to_vec();
        locked.in_store = true;
        locked.moved_from = None;
        locked.modified = SystemTime::now();
        Ok(stamp)
    }

    fn peek(&self, id: SessionId<'_>, max: u64) -> Result<Option<Snapshot>> {
        let data = self.names.data(id);
        let (bytes, pttl): (Option<Vec<u8>>, i64) =
            self.shared.with("read a session", |con, _| {
                redis::pipe().get(&data).pttl(&data).query(con)
            })?;
        let (bytes, pttl) = match bytes {
            Some(b) => (b, pttl),
            None => match self.read_previous(id)? {
                Some((b, pttl, _)) => (b, pttl),
                None => return Ok(None),
            },
        };
        too_large(id, bytes.len(), max)?;
        Ok(Some(Snapshot {
            digest: ring::digest::digest(&ring::digest::SHA256, &bytes),
            bytes,
            modified: self.modified(pttl),
        }))
    }

    fn lock_snapshot(
        &self,
        id: SessionId<'_>,
        snapshot: Snapshot,
        timeout: Duration,
    ) -> Result<Option<Locked>> {
        let locked = self.lock(id, timeout, || Ok(Vec::new()))?;
        let same = ring::digest::digest(&ring::digest::SHA256, &locked.bytes);
        if same.as_ref() == snapshot.digest.as_ref() {
            Ok(Some(locked))
        } else {
            Ok(None)
        }
    }

    fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        let data = self.names.data(id);
        let n: i64 = self.shared.with("look a session up", |con, _| {
            redis::cmd("EXISTS").arg(&data).query(con)
        })?;
        Ok(n > 0)
    }

    fn destroy(&self, id: SessionId<'_>, held: Option<Locked>) -> Result<()> {
        let previous: Vec<String> = self.names.previous(id).collect();
        match held {
            Some(mut locked) => {
                if locked.released {
                    return Err(self.lost(id, &locked));
                }
                let ok: i64 = self.shared.with("destroy a session", |con, _| {
                    redis::Script::new(DESTROY)
                        .key(&locked.lock)
                        .key(&locked.data)
                        .arg(&locked.token)
                        .invoke(con)
                })?;
                locked.released = true;
                if ok != 1 {
                    return Err(self.lost(id, &locked));
                }
            }
            None => {
                let lock = self.names.lock(id);
                let data = self.names.data(id);
                let ok: i64 = self.shared.with("destroy a session", |con, _| {
                    redis::Script::new(DESTROY_UNLOCKED)
                        .key(&lock)
                        .key(&data)
                        .invoke(con)
                })?;
                if ok != 1 {
                    return Err(Error::LockTimeout {
                        id: id.prefix(),
                        ms: 0,
                    });
                }
            }
        }
        for name in previous {
            self.shared.with("destroy a session", |con, _| {
                redis::cmd("DEL").arg(&name).query::<i64>(con)
            })?;
        }
        Ok(())
    }

    fn gc(&self, _max_age: Duration) -> Result<u64> {
        // Redis expires sessions itself: every write sets the TTL.
        Ok(0)
    }
}

#[cfg(test)]
mod tests;
