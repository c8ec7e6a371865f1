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
//!   lease`, pipelined with `GET data`), retried with jittered exponential backoff
//!   (sleeping, never spinning) until `rustenc.lock_timeout_ms`; strict
//!   mode's validate takes the lock already ([`Store::peek`]);
//! - a wall-clock lease (`rustenc.lock_lease_ms`), renewed by a background
//!   thread of the worker while the request holds the lock, for at most
//!   `rustenc.lock_max_hold_ms` ([`lease`]): a lock never outlives a
//!   crashed or frozen worker by more than one lease, never outlives the
//!   cap by more than one lease, and a request that holds it past the cap
//!   loses it;
//! - fenced writes ([`WRITE`], [`TOUCH`], [`DESTROY`], [`SET_ASIDE`]): one
//!   script checks that the token still owns the lock and writes, or refuses
//!   ([`Error::LockLost`]); write and touch release the lock in the same
//!   script, since PHP closes the session right after (see
//!   [`State::Parked`]), so a request costs two round trips;
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

pub mod lease;
pub mod save_path;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError,
    },
    time::{Duration, Instant, SystemTime},
};

use ring::{hmac, rand::SecureRandom};

use crate::{
    error::{Error, Result},
    id::SessionId,
    keys::KeyRing,
    store::{LockedSession, SessionSnapshot, SessionStore},
};

pub use save_path::{
    is_redis, Auth, Config, Target, DEFAULT_PREFIX, DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT,
};

/// The lock lease when `rustenc.lock_lease_ms` is not set: how long a
/// crashed or frozen worker blocks its session. Renewal ([`lease`]) keeps a
/// running request's lock, every lease/3, so this only has to outlast a
/// stall of the server (two renewals may fail before the lock is lost).
pub const DEFAULT_LEASE: Duration = Duration::from_secs(10);

pub use lease::DEFAULT_MAX_HOLD;

/// Acquire. KEYS: lock, data. ARGV: token, lease ms. A lock that already
/// holds the token counts as taken, so a try whose reply was lost can be
/// repeated. Returns `{1, data's PTTL}` or `{0, lock's PTTL}`.
///
/// The data is read by a `GET` sent right after it in the same round trip,
/// never through the script: Redis's Lua hashes every byte of every string
/// it creates (about 0.3 ms per 256 KiB, measured), so a session value that
/// passes through a script costs more than the round trip it saves (see
/// [`round_trip`]).
const ACQUIRE: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
    or redis.call('GET', KEYS[1]) == ARGV[1] then
  return {1, redis.call('PTTL', KEYS[2])}
end
return {0, redis.call('PTTL', KEYS[1])}
";

/// A value and its PTTL in one round trip. KEYS: data. Returns `{data or
/// nil, PTTL}`. A script rather than a pipeline: the redis crate's cluster
/// connection refuses pipelines ("This connection does not support
/// pipelining"), and a script on one key runs on the node of its slot.
const GET_PTTL: &str = r"
return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
";

/// Fenced write and release (PHP closes the session right after writing).
/// KEYS: lock, data, new. ARGV: token. `new` (named after the token, so
/// only this request writes it) was set to the value, with its TTL, by a
/// `SET` sent just before in the same round trip: the value never passes
/// through Lua (see [`ACQUIRE`]). Returns 1, or 0 when the token no longer
/// owns the lock (nothing is written, `new` is deleted).
const WRITE: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  redis.call('DEL', KEYS[3])
  return 0
end
redis.call('RENAME', KEYS[3], KEYS[2])
redis.call('DEL', KEYS[1])
return 1
";

/// Fenced touch (lazy_write) and release. KEYS: lock, data. ARGV: token, ttl ms.
const TOUCH: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
";

/// Fenced destroy and release. KEYS: lock, data. ARGV: token.
const DESTROY: &str = r"
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
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
        self
    }

    fn inner(&mut self) -> &mut dyn redis::ConnectionLike {
        match self {
            Conn::Single(c) => c,
            Conn::Cluster(c) => c.as_mut(),
        }
    }
}

/// The crate's connection, except that a pipeline's replies are read only
/// up to the first failure: the crate reads all of them, each waiting out
/// the read timeout again when the server hangs (measured: a pipeline of n
/// commands took n timeouts). The connection is dropped after any error.
impl redis::ConnectionLike for Conn {
    fn req_packed_command(&mut self, cmd: &[u8]) -> redis::RedisResult<redis::Value> {
        self.inner().req_packed_command(cmd)
    }

    fn req_packed_commands(
        &mut self,
        cmd: &[u8],
        offset: usize,
        count: usize,
    ) -> redis::RedisResult<Vec<redis::Value>> {
        let Conn::Single(c) = self else {
            return self.inner().req_packed_commands(cmd, offset, count);
        };
        c.send_packed_command(cmd)?;
        let mut replies = Vec::with_capacity(count);
        for i in 0..offset + count {
            let reply = c.recv_response()?;
            if i >= offset {
                replies.push(reply);
            }
        }
        Ok(replies)
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Single(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }

    fn supports_pipelining(&self) -> bool {
        matches!(self, Conn::Single(_))
    }

    fn check_connection(&mut self) -> bool {
        self.inner().check_connection()
    }

    fn is_open(&self) -> bool {
        match self {
            Conn::Single(c) => c.is_open(),
            Conn::Cluster(c) => c.is_open(),
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
    /// Locks (name, token) that a timed-out acquire may have taken, given
    /// back before the next command.
    pending: Mutex<Vec<(String, String)>>,
    /// How the server failed in this request, if it did: the request's
    /// remaining hooks fail at once with the same cause instead of each
    /// waiting for the timeout again.
    failed: Mutex<Option<Failure>>,
}

/// A server failure, and the request (and process) that saw it.
struct Failure {
    request: u64,
    pid: u32,
    cause: String,
    timeout: bool,
}

/// Request numbers, unique in the process.
static REQUESTS: AtomicU64 = AtomicU64::new(0);

std::thread_local! {
    /// The request this thread runs (each thread starts in a request of its
    /// own; see [`new_request`]).
    static REQUEST: std::cell::Cell<u64> =
        std::cell::Cell::new(REQUESTS.fetch_add(1, Ordering::Relaxed));
}

/// Starts a new request (RINIT): a server that failed in an earlier
/// request is tried again.
pub fn new_request() {
    REQUEST.set(REQUESTS.fetch_add(1, Ordering::Relaxed));
}

impl Shared {
    /// Runs `f` on this process's connection, opening one if needed. Any
    /// error drops the connection: its replies may be out of step.
    fn with<T>(
        &self,
        op: &'static str,
        f: impl Fn(&mut dyn redis::ConnectionLike, Release) -> redis::RedisResult<T>,
    ) -> Result<T> {
        self.run(op, false, f)
    }

    /// As [`Shared::with`], for a command that may run twice (a read, or a
    /// script that is idempotent for its token): when a kept connection
    /// turns out dead (the server restarted, an idle timeout closed it), it
    /// is tried once more on a new connection, so the first request of each
    /// worker after a restart does not fail.
    fn with_retry<T>(
        &self,
        op: &'static str,
        f: impl Fn(&mut dyn redis::ConnectionLike, Release) -> redis::RedisResult<T>,
    ) -> Result<T> {
        self.run(op, true, f)
    }

    fn run<T>(
        &self,
        op: &'static str,
        retry: bool,
        f: impl Fn(&mut dyn redis::ConnectionLike, Release) -> redis::RedisResult<T>,
    ) -> Result<T> {
        let mut guard = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        let request = REQUEST.get();
        let pid = std::process::id();
        let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(seen) = failed
            .as_ref()
            .filter(|f| f.request == request && f.pid == pid)
        {
            return Err(Error::Redis {
                server: self.server.clone(),
                op,
                cause: format!(
                    "{} (earlier in this request; not tried again before the next request)",
                    seen.cause
                ),
                timeout: seen.timeout,
            });
        }
        let result = self.run_on(&mut guard, op, retry, f);
        if let Err(Error::Redis { cause, timeout, .. }) = &result {
            *failed = Some(Failure {
                request,
                pid,
                cause: cause.clone(),
                timeout: *timeout,
            });
        }
        result
    }

    fn run_on<T>(
        &self,
        guard: &mut Option<Slot>,
        op: &'static str,
        retry: bool,
        f: impl Fn(&mut dyn redis::ConnectionLike, Release) -> redis::RedisResult<T>,
    ) -> Result<T> {
        let pid = std::process::id();
        let (mut slot, kept) = match guard.take() {
            Some(slot) if slot.pid == pid => (slot, true),
            Some(inherited) => {
                // The parent's (php-fpm forks workers, pcntl_fork children):
                // never used, and not shut down either, which could end the
                // parent's TLS session; only our copy of the fd stays open.
                std::mem::forget(inherited);
                (self.connect()?, false)
            }
            None => (self.connect()?, false),
        };
        let pending =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(PoisonError::into_inner));
        for (lock, token) in pending {
            if release_on(slot.conn.get(), slot.release, &lock, &token).is_err() {
                self.release_later(&lock, &token);
            }
        }
        let mut result = f(slot.conn.get(), slot.release);
        if let Err(e) = &result {
            if retry && kept && (e.is_connection_dropped() || e.is_io_error()) && !e.is_timeout() {
                slot = self.connect()?;
                result = f(slot.conn.get(), slot.release);
            }
        }
        match result {
            Ok(v) => {
                *guard = Some(slot);
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
            timeout: e.is_timeout(),
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
            // Sent by `native_release` instead: the crate's setup reads one
            // reply per command, each waiting out the timeout of a hung server.
            .set_skip_set_lib_name();
        if let Some(auth) = &self.auth {
            if let Some(user) = &auth.user {
                info = info.set_username(user);
            }
            info = info.set_password(&auth.password);
        }
        info
    }

    /// The TLS certificates of the save path, read now (at connect time, so
    /// a renewed certificate is picked up by the next connection).
    fn certificates(&self) -> redis::RedisResult<redis::TlsCertificates> {
        let files = &self.config.tls_files;
        let read = |p: &PathBuf| {
            std::fs::read(p).map_err(|e| {
                redis::RedisError::from((
                    redis::ErrorKind::InvalidClientConfig,
                    "cannot read a TLS file",
                    format!("{}: {e}", p.display()),
                ))
            })
        };
        let client_tls = match (&files.cert, &files.key) {
            (Some(cert), Some(key)) => Some(redis::ClientTlsConfig {
                client_cert: read(cert)?,
                client_key: read(key)?,
            }),
            _ => None,
        };
        Ok(redis::TlsCertificates {
            client_tls,
            root_cert: files.ca.as_ref().map(read).transpose()?,
        })
    }

    fn open(&self) -> redis::RedisResult<Conn> {
        let c = &self.config;
        let single = |addr: redis::ConnectionAddr, tls: bool| -> redis::RedisResult<Conn> {
            let info = redis::IntoConnectionInfo::into_connection_info(addr)?
                .set_redis_settings(self.redis_info());
            let client = if tls {
                tls_provider();
                redis::Client::build_with_tls(info, self.certificates()?)?
            } else {
                redis::Client::open(info)?
            };
            let conn = client.get_connection_with_timeout(c.timeout)?;
            conn.set_read_timeout(Some(c.read_timeout))?;
            conn.set_write_timeout(Some(c.read_timeout))?;
            Ok(Conn::Single(conn))
        };
        match &c.target {
            Target::Tcp { host, port, tls } => {
                let addr = if *tls {
                    redis::ConnectionAddr::TcpTls {
                        host: host.clone(),
                        port: *port,
                        insecure: false,
                        tls_params: None,
                    }
                } else {
                    redis::ConnectionAddr::Tcp(host.clone(), *port)
                };
                single(addr, *tls)
            }
            Target::Unix(path) => single(redis::ConnectionAddr::Unix(path.clone()), false),
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
                    b = b.tls(redis::TlsMode::Secure).certs(self.certificates()?);
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
                    b = b
                        .set_client_to_redis_tls_mode(redis::TlsMode::Secure)
                        .set_client_to_redis_certificates(self.certificates()?)
                        .set_client_to_sentinel_tls_mode(redis::TlsMode::Secure)
                        .set_client_to_sentinel_certificates(self.certificates()?);
                }
                let client = b.build()?.get_client()?;
                let conn = client.get_connection_with_timeout(c.timeout)?;
                conn.set_read_timeout(Some(c.read_timeout))?;
                conn.set_write_timeout(Some(c.read_timeout))?;
                Ok(Conn::Single(conn))
            }
        }
    }

    /// Ends a request: with `persistent=0` its connection is closed (the
    /// next request opens a new one).
    pub fn end_request(&self) {
        if !self.config.persistent {
            *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
    }

    /// Compare-and-delete of `lock` if it still holds `token`. A failure is
    /// left to the lease, which ends the lock anyway.
    fn release(&self, lock: &str, token: &str) {
        let _ = self.with_retry("release a lock", |con, release| {
            release_on(con, release, lock, token)
        });
    }

    /// Releases `lock` (if `token` holds it) before the next command.
    fn release_later(&self, lock: &str, token: &str) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((lock.to_string(), token.to_string()));
    }

    /// Connects (or reuses this process's connection) and reports the
    /// server's version and how locks are released.
    pub fn server_report(&self) -> Result<(String, Release)> {
        self.with_retry("read the server's version", |con, release| {
            // A cluster answers with one reply per primary.
            let info: redis::Value = redis::cmd("INFO").arg("server").query(con)?;
            let texts: Vec<String> = match info {
                redis::Value::Map(nodes) => nodes
                    .into_iter()
                    .map(|(_, v)| redis::from_redis_value(v))
                    .collect::<Result<_, _>>()?,
                other => vec![redis::from_redis_value(other)?],
            };
            let mut versions: Vec<String> = texts.iter().map(|t| server_version(t)).collect();
            let nodes = versions.len();
            versions.sort();
            versions.dedup();
            let mut version = versions.join(", ");
            if nodes > 1 {
                version = format!("{version} ({nodes} primaries)");
            }
            Ok((version, release))
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

    /// Where the password in use comes from, for reports.
    pub fn password_source(&self) -> &'static str {
        match (&self.config.auth, &self.auth) {
            (Some(_), _) => PASSWORD_IN_SAVE_PATH,
            (None, Some(_)) => {
                "read at startup (RUSTENC_REDIS_PASSWORD or rustenc.redis_password_file)"
            }
            (None, None) => "none",
        }
    }
}

/// [`Shared::password_source`] when the save path holds the password.
pub const PASSWORD_IN_SAVE_PATH: &str =
    "in session.save_path (weak: phpinfo() shows it to any script)";

/// Sends the commands of `p` in one round trip, or one by one on a
/// connection that cannot pipeline (the redis crate's cluster connection:
/// its commands all name keys of one slot here, so the order holds).
/// The first server error (`-ERR ...`) is the result.
fn round_trip<T: redis::FromRedisValue>(
    con: &mut dyn redis::ConnectionLike,
    p: &redis::Pipeline,
) -> redis::RedisResult<T> {
    let replies = replies(con, p)?
        .into_iter()
        .map(redis::Value::extract_error)
        .collect::<redis::RedisResult<_>>()?;
    Ok(redis::from_redis_value(redis::Value::Array(replies))?)
}

/// As [`round_trip`], with server errors left in their place.
fn replies(
    con: &mut dyn redis::ConnectionLike,
    p: &redis::Pipeline,
) -> redis::RedisResult<Vec<redis::Value>> {
    if con.supports_pipelining() {
        return con.req_packed_commands(&p.get_packed_pipeline(), 0, p.len());
    }
    p.cmd_iter().map(|c| con.req_command(c)).collect()
}

/// Compare-and-delete of `lock` if it holds `token`, natively or by script.
fn release_on(
    con: &mut dyn redis::ConnectionLike,
    release: Release,
    lock: &str,
    token: &str,
) -> redis::RedisResult<i64> {
    match release {
        Release::DelIfEq => redis::cmd("DELIFEQ").arg(lock).arg(token).query(con),
        Release::DelEx => redis::cmd("DELEX")
            .arg(lock)
            .arg("IFEQ")
            .arg(token)
            .query(con),
        Release::Script => redis::Script::new(RELEASE).key(lock).arg(token).invoke(con),
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
/// Also names the client (`CLIENT SETINFO`, Redis 7.2+; older servers
/// refuse it, which is ignored) in the same round trip, but for a cluster
/// (its connection turns the refusal into an error).
fn native_release(con: &mut dyn redis::ConnectionLike) -> redis::RedisResult<Release> {
    let mut p = redis::pipe();
    if con.supports_pipelining() {
        p.cmd("CLIENT")
            .arg("SETINFO")
            .arg("LIB-NAME")
            .arg("rustenc");
        p.cmd("CLIENT")
            .arg("SETINFO")
            .arg("LIB-VER")
            .arg(env!("CARGO_PKG_VERSION"));
    }
    p.cmd("COMMAND").arg("INFO").arg("delifeq").arg("delex");
    let info: Vec<redis::Value> = match replies(con, &p)?.into_iter().last() {
        Some(last) => redis::from_redis_value(last)?,
        None => Vec::new(),
    };
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
    } else if text.contains("UnknownIssuer") || text.contains("NotValidForName") {
        format!(
            "the server's TLS certificate is refused ({text}); for a private CA give \
             stream[cafile]=/path/ca.pem in session.save_path, and connect by a name the \
             certificate holds"
        )
    } else if e.is_connection_refusal() {
        format!("connection refused ({text}); is the server running?")
    } else if e.is_connection_dropped() {
        format!(
            "the server closed the connection ({text}); it restarted, failed over, or \
             dropped this client"
        )
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
    let shared = Arc::new(Shared::new(value, password)?);
    map.insert(value.to_string(), shared.clone());
    Ok(shared)
}

impl Shared {
    /// Parses `value` (not connecting yet); see [`shared`].
    pub fn new(value: &str, password: Option<&str>) -> Result<Shared> {
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
        Ok(Shared {
            location: PathBuf::from(format!("redis {server}")),
            server,
            auth,
            config,
            slot: Mutex::new(None),
            pending: Mutex::new(Vec::new()),
            failed: Mutex::new(None),
        })
    }
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
    /// `rustenc.lock_max_hold_ms`: how long a lock is renewed (0: never).
    max_hold: Duration,
    /// `rustenc.lock_timeout_ms`, for taking a lock again after a write
    /// released it (see [`State::Parked`]).
    lock_timeout: Duration,
}

impl Store {
    /// A store over `shared` for one request.
    pub fn new(
        shared: Arc<Shared>,
        names: Names,
        ttl: Duration,
        lease: Duration,
        max_hold: Duration,
        lock_timeout: Duration,
    ) -> Store {
        Store {
            shared,
            names,
            ttl: ttl.max(Duration::from_secs(1)),
            lease: lease.max(Duration::from_millis(1)),
            max_hold,
            lock_timeout,
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
            max_hold_ms: self.max_hold.as_millis() as u64,
        }
    }

    /// Tries once to lock `id`.
    fn try_acquire(&self, lock: &str, data: &str, token: &str) -> Result<Acquired> {
        let mut p = redis::pipe();
        p.cmd("EVAL")
            .arg(ACQUIRE)
            .arg(2)
            .arg(lock)
            .arg(data)
            .arg(token)
            .arg(Self::ms(self.lease));
        p.cmd("GET").arg(data);
        let ((got, pttl), bytes): ((i64, i64), Option<Vec<u8>>) = self
            .shared
            .with_retry("lock a session", |con, _| round_trip(con, &p))?;
        Ok(if got == 1 {
            Ok((bytes, pttl))
        } else {
            Err(pttl)
        })
    }

    /// Takes the lock `lock` with `token`, waiting at most `timeout`, and
    /// returns what `data` holds and its PTTL.
    fn acquire(
        &self,
        id: SessionId<'_>,
        lock: &str,
        data: &str,
        token: &str,
        timeout: Duration,
    ) -> Result<(Option<Vec<u8>>, i64)> {
        let start = Instant::now();
        let mut round = 0;
        loop {
            let tried = self.try_acquire(lock, data, token).inspect_err(|e| {
                // After a timeout the server may have taken the lock all the
                // same (once it answers again): give it back at the next use
                // of the server, or the session would stay locked for a
                // whole lease.
                if e.is_timeout() {
                    self.shared.release_later(lock, token);
                }
            })?;
            if let Ok(found) = tried {
                return Ok(found);
            }
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

    /// Reads the session from the names under previous keys, when the
    /// current one holds nothing.
    fn read_previous(&self, id: SessionId<'_>) -> Result<Option<(Vec<u8>, i64, String)>> {
        for name in self.names.previous(id) {
            let (bytes, pttl): (Option<Vec<u8>>, i64) =
                self.shared.with_retry("read a session", |con, _| {
                    redis::Script::new(GET_PTTL).key(&name).invoke(con)
                })?;
            if let Some(bytes) = bytes {
                return Ok(Some((bytes, pttl, name)));
            }
        }
        Ok(None)
    }

    /// When a session with `pttl` ms left was last written or touched.
    fn modified(&self, pttl: i64) -> SystemTime {
        let now = SystemTime::now();
        if pttl < 0 {
            return now;
        }
        let left = Duration::from_millis(pttl as u64);
        now.checked_sub(self.ttl.saturating_sub(left))
            .unwrap_or(now)
    }

    /// Makes sure `locked` holds its lock: after a write released it
    /// ([`State::Parked`]), takes it again, provided the session is still
    /// what this request wrote.
    fn ensure_held(&self, id: SessionId<'_>, locked: &mut Locked) -> Result<()> {
        match locked.state {
            State::Held => Ok(()),
            State::Gone => Err(self.lost(id, locked)),
            State::Parked(written) => {
                locked.state = State::Gone;
                let token = new_token()?;
                let (bytes, _) =
                    self.acquire(id, &locked.lock, &locked.data, &token, self.lock_timeout)?;
                locked.token = token;
                locked.state = State::Held;
                locked.hold = self.hold(&locked.lock, &locked.token);
                let now = bytes.map(|b| digest(&b));
                if now.as_ref().map(|d| d.as_ref()) != Some(written.as_ref()) {
                    self.shared.release(&locked.lock, &locked.token);
                    locked.state = State::Gone;
                    return Err(self.lost(id, locked));
                }
                locked.acquired = Instant::now();
                Ok(())
            }
        }
    }

    /// Starts renewing a lock just taken.
    fn hold(&self, lock: &str, token: &str) -> Option<lease::Hold> {
        lease::hold(&self.shared, lock, token, self.lease, self.max_hold)
    }

    /// Runs a fenced script (`keys`: lock, data, ...) and returns its result
    /// (1: done; 0: the lock was lost). With `wait_replicas=N`, a `WAIT`
    /// goes in the same round trip, and a write no replica confirmed is an
    /// error: it could be lost at a failover, so it is not reported as done.
    fn fenced_script(
        &self,
        op: &'static str,
        before: Option<redis::Cmd>,
        script: &'static str,
        keys: &[&str],
        args: &[&[u8]],
    ) -> Result<i64> {
        let wait = self.shared.config.wait_replicas;
        let timeout = Self::ms(self.shared.config.read_timeout / 2);
        let mut p = redis::pipe();
        let at = usize::from(before.is_some());
        if let Some(cmd) = before {
            p.add_command(cmd);
        }
        p.cmd("EVAL").arg(script).arg(keys.len()).arg(keys);
        for a in args {
            p.arg(*a);
        }
        if wait > 0 {
            p.cmd("WAIT").arg(wait).arg(timeout);
        }
        let (ok, confirmed): (i64, i64) = self.shared.with(op, |con, _| {
            let replies: Vec<redis::Value> = round_trip(con, &p)?;
            let ok = redis::from_redis_value_ref(&replies[at])?;
            let confirmed = match wait {
                0 => 0,
                _ => redis::from_redis_value_ref(&replies[at + 1])?,
            };
            Ok((ok, confirmed))
        })?;
        if wait > 0 && ok == 1 && confirmed < i64::from(wait) {
            return Err(Error::Redis {
                server: self.shared.server.clone(),
                op,
                cause: format!(
                    "{confirmed} of {wait} replicas confirmed the write within {timeout} ms \
                     (wait_replicas={wait} in session.save_path): it is on the primary but \
                     would be lost if the primary failed now, so it is not reported as done; \
                     check the replicas (INFO replication), or set wait_replicas=0 to accept \
                     that risk"
                ),
                timeout: false,
            });
        }
        Ok(ok)
    }

    /// After a fenced script: `ok` is 1, or the lock was lost.
    fn fenced(&self, id: SessionId<'_>, locked: &mut Locked, ok: i64) -> Result<()> {
        if ok == 1 {
            Ok(())
        } else {
            locked.state = State::Gone;
            Err(self.lost(id, locked))
        }
    }

    /// Removes the name a session had under a previous key, once it lives
    /// under the current one. A failure leaves a copy that expires with its
    /// TTL.
    fn forget_old_name(&self, locked: &mut Locked) {
        if let Some(old) = locked.moved_from.take() {
            let _ = self.shared.with("remove a session's old name", |con, _| {
                redis::cmd("DEL").arg(&old).query::<i64>(con)
            });
        }
    }
}

impl Store {
    /// Puts a session that does not exist yet (an import from `files`),
    /// last used at `modified`: its TTL is what is left of its lifetime.
    /// Returns `false`, changing nothing, when the session exists or its
    /// lifetime is over.
    pub fn import(&self, id: SessionId<'_>, bytes: &[u8], modified: SystemTime) -> Result<bool> {
        let age = SystemTime::now()
            .duration_since(modified)
            .unwrap_or(Duration::ZERO);
        let Some(left) = self.ttl.checked_sub(age).filter(|d| !d.is_zero()) else {
            return Ok(false);
        };
        let data = self.names.data(id);
        let set: Option<String> = self.shared.with("import a session", |con, _| {
            redis::cmd("SET")
                .arg(&data)
                .arg(bytes)
                .arg("NX")
                .arg("PX")
                .arg(Self::ms(left))
                .query(con)
        })?;
        Ok(set.is_some())
    }
}

/// A fresh lock token: 128 bits from the OS (getrandom).
fn new_token() -> Result<String> {
    let mut token = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut token)
        .map_err(|_| Error::Random)?;
    Ok(crate::hex(&token))
}

fn digest(bytes: &[u8]) -> ring::digest::Digest {
    ring::digest::digest(&ring::digest::SHA256, bytes)
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

/// Where a [`Locked`] stands with its lock.
#[derive(Clone, Copy)]
enum State {
    /// This request holds the lock.
    Held,
    /// A write (or touch) released the lock in the same round trip, since
    /// PHP closes the session right after it. Should the request use the
    /// session again (a second write), the lock is taken again, provided
    /// the session is still the one it wrote (this digest).
    Parked(ring::digest::Digest),
    /// The lock was lost, or released by destroy: nothing more is written.
    Gone,
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
    /// Whether the server holds the session under the current name (a new
    /// one is not written until the request writes or touches it).
    in_store: bool,
    modified: SystemTime,
    /// The name under a previous key it was read from, removed once written
    /// under the current name.
    moved_from: Option<String>,
    state: State,
    /// The renewal of the lock while held (dropped with the request's
    /// session; a renewal after a write released the lock finds another
    /// token and stops).
    hold: Option<lease::Hold>,
}

impl LockedSession for Locked {
    fn modified(&self) -> SystemTime {
        self.modified
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        if let State::Held = self.state {
            self.shared.release(&self.lock, &self.token);
        }
    }
}

/// A session read for strict mode's validate: held locked already (see
/// [`Store::peek`]).
pub struct Snapshot {
    locked: Locked,
    /// A copy for the handler to decrypt (the lock keeps the original).
    bytes: Vec<u8>,
}

impl SessionSnapshot for Snapshot {
    fn modified(&self) -> SystemTime {
        self.locked.modified
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
        let token = new_token()?;
        let lock = self.names.lock(id);
        let data = self.names.data(id);
        let (bytes, pttl) = self.acquire(id, &lock, &data, &token, timeout)?;
        let hold = self.hold(&lock, &token);
        let mut locked = Locked {
            hold,
            shared: self.shared.clone(),
            lock,
            data,
            token,
            acquired: Instant::now(),
            bytes: Vec::new(),
            in_store: true,
            modified: self.modified(pttl),
            moved_from: None,
            state: State::Held,
        };
        match bytes {
            Some(b) => locked.bytes = b,
            None => {
                locked.in_store = false;
                match self.read_previous(id)? {
                    Some((b, pttl, name)) => {
                        locked.bytes = b;
                        locked.modified = self.modified(pttl);
                        locked.moved_from = Some(name);
                    }
                    None => {
                        locked.bytes = fresh()?;
                        locked.modified = SystemTime::now();
                    }
                }
            }
        }
        Ok(locked)
    }

    fn read(&self, id: SessionId<'_>, locked: &mut Locked, max: u64) -> Result<Vec<u8>> {
        too_large(id, locked.bytes.len(), max)?;
        Ok(locked.bytes.clone())
    }

    /// A fenced write that also releases the lock (see [`State::Parked`]):
    /// two round trips per request, lock-and-read and write-and-release.
    fn replace(&self, id: SessionId<'_>, locked: &mut Locked, bytes: &[u8]) -> Result<()> {
        self.ensure_held(id, locked)?;
        let new = format!("{}:new:{}", locked.data, locked.token);
        let mut set = redis::cmd("SET");
        set.arg(&new).arg(bytes).arg("PX").arg(Self::ms(self.ttl));
        let ok = self.fenced_script(
            "write a session",
            Some(set),
            WRITE,
            &[&locked.lock, &locked.data, &new],
            &[locked.token.as_bytes()],
        )?;
        self.fenced(id, locked, ok)?;
        locked.state = State::Parked(digest(bytes));
        locked.in_store = true;
        locked.modified = SystemTime::now();
        self.forget_old_name(locked);
        Ok(())
    }

    /// Extends the TTL (and releases the lock, as [`Store::replace`]).
    fn touch(&self, id: SessionId<'_>, locked: &mut Locked) -> Result<()> {
        if !locked.in_store {
            // A new session, or one under a previous key's name: write it,
            // so it exists under the current name.
            let bytes = std::mem::take(&mut locked.bytes);
            let r = self.replace(id, locked, &bytes);
            locked.bytes = bytes;
            return r;
        }
        self.ensure_held(id, locked)?;
        let ttl = Self::ms(self.ttl).to_string();
        let ok = self.fenced_script(
            "touch a session",
            None,
            TOUCH,
            &[&locked.lock, &locked.data],
            &[locked.token.as_bytes(), ttl.as_bytes()],
        )?;
        self.fenced(id, locked, ok)?;
        locked.state = State::Parked(digest(&locked.bytes));
        locked.modified = SystemTime::now();
        Ok(())
    }

    fn set_aside(&self, id: SessionId<'_>, locked: &mut Locked, fresh: &[u8]) -> Result<String> {
        self.ensure_held(id, locked)?;
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .to_string();
        let aside = format!("{}:unreadable-{stamp}", locked.data);
        let (ttl, lease) = (
            Self::ms(self.ttl).to_string(),
            Self::ms(self.lease).to_string(),
        );
        let ok = self.fenced_script(
            "set a session aside",
            None,
            SET_ASIDE,
            &[&locked.lock, &locked.data, &aside],
            &[
                locked.token.as_bytes(),
                fresh,
                ttl.as_bytes(),
                lease.as_bytes(),
            ],
        )?;
        self.fenced(id, locked, ok)?;
        locked.bytes = fresh.to_vec();
        locked.in_store = true;
        locked.moved_from = None;
        locked.modified = SystemTime::now();
        Ok(stamp)
    }

    /// Strict mode's read before the read: here it takes the lock already
    /// (one round trip, as `lock`), so that `lock_snapshot` costs nothing
    /// and a strict-mode request stays at two round trips. A session that
    /// does not exist is unlocked again at once.
    fn peek(&self, id: SessionId<'_>, max: u64, timeout: Duration) -> Result<Option<Snapshot>> {
        let locked = self.lock(id, timeout, || Ok(Vec::new()))?;
        if !locked.in_store && locked.moved_from.is_none() {
            return Ok(None);
        }
        too_large(id, locked.bytes.len(), max)?;
        Ok(Some(Snapshot {
            bytes: locked.bytes.clone(),
            locked,
        }))
    }

    fn lock_snapshot(
        &self,
        _id: SessionId<'_>,
        snapshot: Snapshot,
        _timeout: Duration,
    ) -> Result<Option<Locked>> {
        Ok(Some(snapshot.locked))
    }

    fn exists(&self, id: SessionId<'_>) -> Result<bool> {
        let data = self.names.data(id);
        let n: i64 = self.shared.with_retry("look a session up", |con, _| {
            redis::cmd("EXISTS").arg(&data).query(con)
        })?;
        Ok(n > 0)
    }

    fn destroy(&self, id: SessionId<'_>, held: Option<Locked>) -> Result<()> {
        match held {
            Some(mut locked) => {
                self.ensure_held(id, &mut locked)?;
                let ok = self.fenced_script(
                    "destroy a session",
                    None,
                    DESTROY,
                    &[&locked.lock, &locked.data],
                    &[locked.token.as_bytes()],
                )?;
                self.fenced(id, &mut locked, ok)?;
                locked.state = State::Gone;
            }
            None => {
                // Another request may hold it: wait for it, as to write.
                let locked = self.lock(id, self.lock_timeout, || Ok(Vec::new()))?;
                return self.destroy(id, Some(locked));
            }
        }
        for name in self.names.previous(id) {
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
