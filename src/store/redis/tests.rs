//! The Redis store against a real `redis-server`, started by each test on a
//! free loopback port and stopped (by pid) when the test ends.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, Stdio},
    sync::Arc,
    thread::sleep,
    time::{Duration, Instant},
};

use super::*;
use crate::{
    handler::{Handler, Settings},
    keys::{Key, KeyRing},
};

const ID: &[u8] = b"abcdefghijklmnopqrstuvwxyz012345";
const OTHER: &[u8] = b"zyxwvutsrqponmlkjihgfedcba543210";
const LIFE: Duration = Duration::from_secs(1440);

/// A `redis-server` of this test, killed on drop.
struct Server {
    child: Child,
    port: u16,
    /// Its working directory: a replica writes the dump it syncs there, and
    /// a server loads any dump.rdb it finds in it at startup.
    _dir: tempfile::TempDir,
}

/// The `redis-server` binary, installed (Debian's package) if missing and
/// this runs as root; `None` (the caller skips, saying why) otherwise.
fn redis_server() -> Option<&'static str> {
    static FOUND: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        let present = || {
            Command::new("redis-server")
                .arg("--version")
                .output()
                .is_ok()
        };
        if present() {
            return true;
        }
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-q", "redis-server"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        present()
    });
    if !found {
        eprintln!(
            "SKIPPED: redis-server is not installed and could not be installed \
             (apt-get install redis-server)"
        );
    }
    found.then_some("redis-server")
}

/// A loopback port nothing listens on, never the same twice in this test
/// process (tests run in parallel: two could otherwise be handed one port).
fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut given = GIVEN.lock().unwrap();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

impl Server {
    fn start(extra: &[&str]) -> Option<Server> {
        let bin = redis_server()?;
        loop {
            let port = free_port();
            let dir = crate::testing::private_dir();
            let child = Command::new(bin)
                .args([
                    "--dir",
                    dir.path().to_str().unwrap(),
                    "--port",
                    &port.to_string(),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--databases",
                    "16",
                ])
                .args(extra)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut server = Server {
                child,
                port,
                _dir: dir,
            };
            let start = Instant::now();
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "redis-server did not start"
                );
                sleep(Duration::from_millis(20));
            }
            // Ours, not another process's that took the port first.
            let info = String::from_utf8_lossy(&server.cli(&[b"INFO", b"server"])).into_owned();
            // (A server with a password answers NOAUTH: only ours has it.)
            if server.child.try_wait().unwrap().is_none()
                && (info.starts_with("-NOAUTH")
                    || info.contains(&format!("process_id:{}\r", server.child.id())))
            {
                return Some(server);
            }
            let _ = server.child.kill();
        }
    }

    /// Sends the server `sig` (`-STOP`: a hung server; `-CONT`).
    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    fn url(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.port)
    }

    /// A raw command, as `redis-cli` would send it (inline protocol).
    fn cli(&self, args: &[&[u8]]) -> Vec<u8> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut req = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            req.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            req.extend_from_slice(a);
            req.extend_from_slice(b"\r\n");
        }
        s.write_all(&req).unwrap();
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let mut out = Vec::new();
        BufReader::new(s).read_to_end(&mut out).unwrap();
        out
    }

    /// Every key in database 0.
    fn keys(&self) -> Vec<String> {
        let out = self.cli(&[b"KEYS", b"*"]);
        BufReader::new(&out[..])
            .lines()
            .map(Result::unwrap)
            .filter(|l| !l.starts_with(['*', '$']))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ring(secret: u8) -> Arc<KeyRing> {
    Arc::new(KeyRing::new(Key::derive(&[secret; 32]).unwrap(), vec![]))
}

fn settings(lock_timeout_ms: u64) -> Settings {
    Settings {
        lock_timeout: Duration::from_millis(lock_timeout_ms),
        max_size: 1 << 20,
        pad_to: 0,
    }
}

struct Fixture {
    shared: Arc<Shared>,
    keys: Arc<KeyRing>,
    lease: Duration,
    max_hold: Duration,
    ttl: Duration,
}

impl Fixture {
    fn new(save_path: &str) -> Fixture {
        Fixture {
            shared: Arc::new(Shared::new(save_path, None).unwrap()),
            keys: ring(7),
            lease: Duration::from_secs(30),
            max_hold: Duration::ZERO,
            ttl: LIFE,
        }
    }

    fn store(&self) -> Arc<Store> {
        Arc::new(Store::new(
            self.shared.clone(),
            Names::new(&self.shared.config().prefix, &self.keys),
            self.ttl,
            self.lease,
            self.max_hold,
            Duration::from_millis(200),
        ))
    }

    /// A handler for a new request.
    fn handler(&self) -> Handler<Store> {
        new_request();
        Handler::open(self.store(), self.keys.clone(), settings(200))
    }

    fn names(&self) -> Names {
        Names::new(&self.shared.config().prefix, &self.keys)
    }
}

fn id(b: &[u8]) -> SessionId<'_> {
    SessionId::new(b).unwrap()
}

macro_rules! server {
    ($($extra:expr),*) => {
        match Server::start(&[$($extra),*]) {
            Some(s) => s,
            None => return,
        }
    };
}

#[test]
fn parses_every_save_path_form() {
    let c = Config::parse(
        "tcp://10.0.0.1:6380?database=3&prefix=app:&timeout=0.5&read_timeout=1.5&persistent=0",
    )
    .unwrap();
    assert_eq!(
        c.target,
        Target::Tcp {
            host: "10.0.0.1".into(),
            port: 6380,
            tls: false
        }
    );
    assert_eq!(c.database, 3);
    assert_eq!(c.prefix, "app:");
    assert_eq!(c.timeout, Duration::from_millis(500));
    assert_eq!(c.read_timeout, Duration::from_millis(1500));
    assert!(!c.persistent);
    assert!(c.auth.is_none());

    let c = Config::parse("tcp://h").unwrap();
    assert_eq!(
        c.target,
        Target::Tcp {
            host: "h".into(),
            port: 6379,
            tls: false
        }
    );
    assert_eq!(
        (c.timeout, c.read_timeout),
        (DEFAULT_TIMEOUT, DEFAULT_READ_TIMEOUT)
    );
    assert_eq!(c.prefix, DEFAULT_PREFIX);
    assert!(c.persistent);

    let c = Config::parse("unix:///run/redis/redis.sock?database=2").unwrap();
    assert_eq!(c.target, Target::Unix("/run/redis/redis.sock".into()));
    assert_eq!(c.database, 2);

    let c = Config::parse("tls://cache.example:6380?auth=s3cret").unwrap();
    assert!(matches!(
        c.target,
        Target::Tcp {
            tls: true,
            port: 6380,
            ..
        }
    ));
    assert_eq!(c.auth.unwrap().password, "s3cret");

    let c = Config::parse("seed[]=h:1&tls=1&stream[cafile]=/ca.pem").unwrap();
    assert!(matches!(c.target, Target::Cluster { tls: true, .. }));
    assert_eq!(
        c.tls_files.ca.as_deref(),
        Some(std::path::Path::new("/ca.pem"))
    );

    let c = Config::parse("tcp://h:1?auth[]=alice&auth[]=pw").unwrap();
    let a = c.auth.unwrap();
    assert_eq!(
        (a.user.as_deref(), a.password.as_str()),
        (Some("alice"), "pw")
    );

    let c = Config::parse("redis://bob:p%40ss@h:7000/5").unwrap();
    let a = c.auth.clone().unwrap();
    assert_eq!(
        (a.user.as_deref(), a.password.as_str()),
        (Some("bob"), "p@ss")
    );
    assert_eq!(c.database, 5);
    assert!(matches!(
        c.target,
        Target::Tcp {
            tls: false,
            port: 7000,
            ..
        }
    ));

    let c = Config::parse("rediss://:pw@h").unwrap();
    assert!(matches!(
        c.target,
        Target::Tcp {
            tls: true,
            port: 6379,
            ..
        }
    ));
    assert_eq!(c.auth.unwrap().user, None);

    let c = Config::parse("seed[]=127.0.0.1:7000&seed[]=127.0.0.1:7001&timeout=2&read_timeout=2")
        .unwrap();
    assert_eq!(
        c.target,
        Target::Cluster {
            seeds: vec![("127.0.0.1".into(), 7000), ("127.0.0.1".into(), 7001)],
            tls: false
        }
    );
    assert_eq!(c.kind(), "redis cluster");

    let c = Config::parse("sentinel://127.0.0.1:26379,127.0.0.1:26380?service=mymaster&database=1")
        .unwrap();
    assert_eq!(
        c.target,
        Target::Sentinel {
            sentinels: vec![("127.0.0.1".into(), 26379), ("127.0.0.1".into(), 26380)],
            service: "mymaster".into(),
            tls: false
        }
    );
    assert_eq!(c.database, 1);
    assert_eq!(
        c.server(),
        "service mymaster via sentinels 127.0.0.1:26379,127.0.0.1:26380 database 1"
    );

    let c = Config::parse("tcp://[::1]:6379").unwrap();
    assert!(matches!(c.target, Target::Tcp { ref host, .. } if host == "::1"));

    for redis in [
        "tcp://h",
        "TCP://h",
        "unix:///s",
        "tls://h",
        "redis://h",
        "rediss://h",
    ] {
        assert!(is_redis(redis), "{redis}");
    }
    assert!(is_redis("seed[]=h:1"));
    assert!(is_redis("sentinel://h?service=m"));
    for dir in ["/var/lib/php/rustenc", "2;0600;/tmp/x", "", "tcp"] {
        assert!(!is_redis(dir), "{dir}");
    }
}

#[test]
fn refuses_malformed_save_paths_with_the_reason() {
    for (value, why) in [
        ("tcp://h:6379?database=x", "not a database number"),
        ("tcp://h:6379?database=-1", "not a database number"),
        ("tcp://h:99999", "not a port number"),
        ("tcp://h:0", "not a port number"),
        ("tcp://:6379", "not host:port"),
        (
            "tcp://h?timeout=0",
            "timeout=\"0\" is not a number of seconds",
        ),
        ("tcp://h?read_timeout=abc", "read_timeout=\"abc\""),
        ("tcp://h?bogus=1", "unknown parameter \"bogus\""),
        ("tcp://a:1,tcp://b:2", "several servers"),
        ("ftp://h", "unknown scheme \"ftp\""),
        ("unix://relative.sock", "absolute socket path"),
        ("sentinel://h:26379", "needs service=NAME"),
        ("seed[]=h:1&database=2", "only database 0"),
        ("seed[]=h:x", "not a port number"),
        ("tcp://h?prefix=a{b}", "braces"),
        ("tcp://h?auth=%zz", "two hex digits"),
        ("redis://h/abc", "not a database number"),
        ("seed[]=h:1&wait_replicas=1", "not supported with a Cluster"),
        ("tcp://h?wait_replicas=x", "not a number of replicas"),
        ("tls://h?stream[verify_peer]=0", "always verifies"),
        ("tcp://h?stream[cafile]=/ca.pem", "need TLS"),
        ("tls://h?stream[local_cert]=/c.pem", "go together"),
    ] {
        let e = Config::parse(value).unwrap_err();
        assert!(e.contains(why), "{value}: {e}");
    }
    // The operator's message names the save path, but never its password.
    let e = Shared::new("tcp://h:6379?auth=hunter2&bogus=1", None)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("unknown parameter"), "{e}");
    assert!(e.contains("auth=***"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    assert_eq!(masked("redis://u:pw@h:1/0"), "redis://***@h:1/0");
    assert_eq!(
        masked("tcp://h?auth[]=u&auth[]=pw&database=1"),
        "tcp://h?auth[]=***&auth[]=***&database=1"
    );
}

#[test]
fn auth_debug_hides_the_password() {
    let a = Auth {
        user: Some("u".into()),
        password: "hunter2".into(),
    };
    assert!(!format!("{a:?}").contains("hunter2"));
}

#[test]
fn sessions_round_trip_and_redis_sees_no_id_and_no_plaintext() {
    let server = server!();
    let f = Fixture::new(&format!("{}?prefix=t:", server.url()));
    let mut h = f.handler();
    assert!(h.read(ID, LIFE).unwrap().is_empty());
    h.write(ID, b"user|s:12:\"secret-alice\";").unwrap();
    drop(h);
    let mut h = f.handler();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"user|s:12:\"secret-alice\";");
    h.update_timestamp(ID, b"user|s:12:\"secret-alice\";", LIFE)
        .unwrap();
    drop(h);

    let keys = server.keys();
    assert_eq!(
        keys,
        vec![f.names().data(id(ID))],
        "only the data key is left"
    );
    let all = server.cli(&[b"GET", keys[0].as_bytes()]);
    for needle in [&b"secret-alice"[..], ID, &ID[..8]] {
        assert!(!all.windows(needle.len()).any(|w| w == needle));
        assert!(!keys[0]
            .as_bytes()
            .windows(8)
            .any(|w| ID.windows(8).any(|i| i == w)));
    }
    assert!(
        keys[0].starts_with("t:{") && keys[0].ends_with('}'),
        "{}",
        keys[0]
    );
    // TTL = gc_maxlifetime.
    let pttl = String::from_utf8(server.cli(&[b"PTTL", keys[0].as_bytes()])).unwrap();
    let pttl: u64 = pttl.trim_start_matches(':').trim().parse().unwrap();
    assert!(pttl > 1_430_000 && pttl <= 1_440_000, "{pttl}");
}

#[test]
fn an_expired_session_is_never_served() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.ttl = Duration::from_secs(1);
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    sleep(Duration::from_millis(1100));
    let mut h = f.handler();
    assert!(h.read(ID, LIFE).unwrap().is_empty());
    assert!(!h.exists(ID).unwrap());
}

#[test]
fn a_request_that_outlived_its_lease_cannot_overwrite_the_newer_session() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(300);
    let mut slow = f.handler();
    slow.read(ID, LIFE).unwrap();
    sleep(Duration::from_millis(400));
    // The lease ran out: the next request takes over, and writes.
    let mut next = f.handler();
    next.read(ID, LIFE).unwrap();
    next.write(ID, b"newer|i:2;").unwrap();
    let e = slow.write(ID, b"older|i:1;").unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, Error::LockLost { .. }), "{text}");
    assert!(text.contains("lost its lock"), "{text}");
    assert!(text.contains("lease 300 ms"), "{text}");
    assert!(
        text.contains(&format!("127.0.0.1:{}", server.port)),
        "{text}"
    );
    assert!(!text.contains(std::str::from_utf8(ID).unwrap()), "{text}");
    drop((slow, next));
    let mut h = f.handler();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"newer|i:2;");
}

#[test]
fn a_lost_lock_refuses_the_write_even_when_no_one_took_over() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(100);
    let mut slow = f.handler();
    slow.read(ID, LIFE).unwrap();
    sleep(Duration::from_millis(200));
    assert!(matches!(
        slow.write(ID, b"late|i:1;"),
        Err(Error::LockLost { .. })
    ));
    assert!(!f.handler().exists(ID).unwrap());
}

#[test]
fn release_deletes_only_its_own_lock() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(100);
    let store = f.store();
    let first = store.lock(id(ID), Duration::ZERO, || Ok(vec![])).unwrap();
    sleep(Duration::from_millis(200));
    f.lease = Duration::from_secs(30);
    let second = f
        .store()
        .lock(id(ID), Duration::ZERO, || Ok(vec![]))
        .unwrap();
    // The first request ends (its lease long gone): the second keeps its lock.
    drop(first);
    let lock = f.names().lock(id(ID));
    assert_eq!(server.cli(&[b"EXISTS", lock.as_bytes()]), b":1\r\n");
    assert!(matches!(
        f.store().lock(id(ID), Duration::ZERO, || Ok(vec![])),
        Err(Error::LockTimeout { .. })
    ));
    drop(second);
    assert_eq!(server.cli(&[b"EXISTS", lock.as_bytes()]), b":0\r\n");
}

#[test]
fn waiting_for_a_lock_is_bounded_and_sleeps() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let mut holder = f.handler();
    holder.read(ID, LIFE).unwrap();
    let mut waiter = f.handler();
    let start = Instant::now();
    let e = waiter.read(ID, LIFE).err().unwrap();
    let waited = start.elapsed();
    assert!(matches!(e, Error::LockTimeout { ms: 200, .. }), "{e}");
    assert!(waited >= Duration::from_millis(200) && waited < Duration::from_secs(2));
    // Another session is not blocked.
    waiter.read(OTHER, LIFE).unwrap();
    // Once released, the waiter gets it.
    drop(holder);
    let mut waiter = f.handler();
    waiter.read(ID, LIFE).unwrap();
}

#[test]
fn a_second_write_after_the_released_write_retakes_the_lock() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    h.write(ID, b"a|i:2;").unwrap();
    // Someone else changed it in between: the third write is refused.
    let mut other = f.handler();
    other.read(ID, LIFE).unwrap();
    other.write(ID, b"a|i:99;").unwrap();
    drop(other);
    assert!(matches!(
        h.write(ID, b"a|i:3;"),
        Err(Error::LockLost { .. })
    ));
    drop(h);
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:99;");
}

#[test]
fn destroy_removes_the_session_and_its_lock() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.destroy(ID).unwrap();
    drop(h);
    assert!(server.keys().is_empty(), "{:?}", server.keys());
}

#[test]
fn a_value_that_is_not_an_envelope_or_sealed_for_another_id_is_refused() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let data = f.names().data(id(ID));
    server.cli(&[b"SET", data.as_bytes(), b"a|s:5:\"plain\";"]);
    // Strict mode: validate refuses it with the reason, leaving it alone.
    let e = f.handler().validate(ID, LIFE).unwrap_err().to_string();
    assert!(e.contains("cannot be read"), "{e}");
    // read sets it aside and serves an empty session, with a notice.
    let mut h = f.handler();
    assert!(h.read(ID, LIFE).unwrap().is_empty());
    let notice = h.take_notice().unwrap().to_string();
    assert!(notice.contains("set aside"), "{notice}");
    drop(h);
    assert!(server
        .keys()
        .iter()
        .any(|k| k.starts_with(&format!("{data}:unreadable-"))));

    // Another session's envelope copied under this session's name.
    let mut h = f.handler();
    h.read(OTHER, LIFE).unwrap();
    h.write(OTHER, b"who|s:5:\"other\";").unwrap();
    drop(h);
    let other = f.names().data(id(OTHER));
    server.cli(&[b"COPY", other.as_bytes(), data.as_bytes(), b"REPLACE"]);
    let e = f.handler().validate(ID, LIFE).unwrap_err().to_string();
    assert!(e.contains("cannot be read"), "{e}");
    let mut h = f.handler();
    assert!(h.read(ID, LIFE).unwrap().is_empty());
    assert!(h.take_notice().is_some());
}

#[test]
fn sessions_sealed_under_a_previous_key_are_found_and_moved() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    let old = f.names().data(id(ID));
    f.keys = Arc::new(KeyRing::new(
        Key::derive(&[8; 32]).unwrap(),
        vec![Key::derive(&[7; 32]).unwrap()],
    ));
    assert!(f.handler().validate(ID, LIFE).unwrap());
    let mut h = f.handler();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"a|i:1;");
    h.update_timestamp(ID, b"a|i:1;", LIFE).unwrap();
    drop(h);
    assert_eq!(server.keys(), vec![f.names().data(id(ID))]);
    assert_ne!(old, f.names().data(id(ID)));
}

#[test]
fn a_server_that_is_down_is_named_with_the_cause() {
    let port = free_port();
    let f = Fixture::new(&format!("tcp://127.0.0.1:{port}?auth=hunter2"));
    let e = f.handler().read(ID, LIFE).err().unwrap().to_string();
    assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
    assert!(e.contains("connection refused"), "{e}");
    assert!(!e.contains("hunter2"), "{e}");
    assert!(!e.contains(std::str::from_utf8(ID).unwrap()), "{e}");
}

#[test]
fn a_wrong_password_is_refused_with_the_cause() {
    let server = server!("--requirepass", "right-password");
    for path in [
        server.url(),
        format!("{}?auth=wrong-password", server.url()),
    ] {
        let f = Fixture::new(&path);
        let e = f.handler().read(ID, LIFE).err().unwrap().to_string();
        assert!(e.contains("authentication refused"), "{e}");
        assert!(!e.contains("wrong-password"), "{e}");
    }
    let f = Fixture::new(&format!("{}?auth=right-password", server.url()));
    f.handler().read(ID, LIFE).unwrap();
    // The password read at startup (RUSTENC_REDIS_PASSWORD or a file).
    let mut f = Fixture::new(&server.url());
    f.shared = Arc::new(Shared::new(&server.url(), Some("right-password")).unwrap());
    f.handler().read(ID, LIFE).unwrap();
    assert!(!f.shared.password_in_save_path());
}

#[test]
fn a_wrong_database_number_is_refused_with_the_cause() {
    let server = server!();
    let f = Fixture::new(&format!("{}?database=99", server.url()));
    let e = f.handler().read(ID, LIFE).err().unwrap().to_string();
    assert!(e.contains("database number"), "{e}");
}

#[test]
fn a_timeout_is_reported_and_the_connection_replaced_and_a_dead_one_too() {
    let server = server!();
    let f = Fixture::new(&format!("{}?read_timeout=0.3", server.url()));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    // A server that stops answering (hung, overloaded, failing over).
    server.signal("-STOP");
    let start = Instant::now();
    let e = f.handler().read(ID, LIFE).err().map(|e| e.to_string());
    server.signal("-CONT");
    let e = e.unwrap();
    assert!(e.contains("timed out"), "{e}");
    assert!(e.contains(&format!("127.0.0.1:{}", server.port)), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    // The connection that timed out is not reused: its late reply would be
    // taken for the next command's. The lock the server took late is given
    // back first: the session is not locked for a whole lease.
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:1;");
    // A kept connection the server closed (a restart, an idle timeout) is
    // replaced without failing the request.
    server.cli(&[b"CLIENT", b"KILL", b"TYPE", b"normal"]);
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:1;");
}

#[test]
fn reports_the_server_version_and_lock_primitives() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let (version, release) = f.shared.server_report().unwrap();
    assert!(
        version.starts_with("redis ") || version.starts_with("valkey "),
        "{version}"
    );
    assert!(!version.contains("unknown"), "{version}");
    // Debian's redis 7.0 has neither DELIFEQ nor DELEX.
    assert_eq!(release, Release::Script);
}

#[test]
fn gc_does_nothing() {
    let server = server!();
    let f = Fixture::new(&server.url());
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    assert_eq!(f.handler().gc(Duration::ZERO).unwrap(), 0);
    assert!(f.handler().exists(ID).unwrap());
}

#[test]
fn a_files_directory_imports_into_redis_once_with_the_rest_of_its_lifetime() {
    use std::{fs, os::unix::fs::PermissionsExt};
    let server = server!();
    let f = Fixture::new(&server.url());
    let dir = crate::testing::private_dir();
    let id_str = std::str::from_utf8(ID).unwrap();
    let file = dir.path().join(format!("sess_{id_str}"));
    fs::write(&file, b"user|s:5:\"alice\";").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let old = dir.path().join("sess_oldoldoldoldoldoldoldoldoldold");
    fs::write(&old, b"user|s:3:\"bob\";").unwrap();
    let long_ago = std::time::SystemTime::now() - Duration::from_secs(2 * 1440);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let from = crate::store::dir::SavePath::parse(dir.path().to_str().unwrap()).unwrap();
    let store = f.store();
    let report =
        crate::import::import_files(&from, &*store, &f.keys, settings(200), false).unwrap();
    assert_eq!(
        (report.imported, report.skipped),
        (1, 1),
        "{:?}",
        report.failed
    );
    let mut h = f.handler();
    assert_eq!(&*h.read(ID, LIFE).unwrap(), b"user|s:5:\"alice\";");
    drop(h);
    // Again: already there.
    let report =
        crate::import::import_files(&from, &*store, &f.keys, settings(200), false).unwrap();
    assert_eq!((report.imported, report.skipped), (0, 2));
    let data = f.names().data(id(ID));
    let pttl = String::from_utf8(server.cli(&[b"PTTL", data.as_bytes()])).unwrap();
    let pttl: u64 = pttl.trim_start_matches(':').trim().parse().unwrap();
    assert!(pttl > 1_400_000, "{pttl}");
}

#[test]
fn tls_with_a_private_ca_works_and_an_unknown_issuer_is_refused() {
    let Ok(_) = Command::new("openssl").arg("version").output() else {
        eprintln!("SKIPPED: no openssl to make a test CA");
        return;
    };
    let dir = crate::testing::private_dir();
    let d = dir.path();
    let run = |args: &[&str]| {
        let ok = Command::new("openssl")
            .args(args)
            .current_dir(d)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(ok, "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=rustenc test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(
        d.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "1",
        "-extfile",
        "ext.cnf",
    ]);
    let tls_port = free_port().to_string();
    let path = |f: &str| d.join(f).display().to_string();
    let server = server!(
        "--tls-port",
        &tls_port,
        "--tls-cert-file",
        &path("srv.pem"),
        "--tls-key-file",
        &path("srv.key"),
        "--tls-ca-cert-file",
        &path("ca.pem"),
        "--tls-auth-clients",
        "no"
    );
    let f = Fixture::new(&format!(
        "tls://localhost:{tls_port}?stream[cafile]={}",
        path("ca.pem")
    ));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:1;");
    drop(server);

    let f = Fixture::new(&format!("tls://localhost:{tls_port}"));
    let server = server!(
        "--tls-port",
        &tls_port,
        "--tls-cert-file",
        &path("srv.pem"),
        "--tls-key-file",
        &path("srv.key"),
        "--tls-ca-cert-file",
        &path("ca.pem"),
        "--tls-auth-clients",
        "no"
    );
    let e = f.handler().read(ID, LIFE).err().unwrap().to_string();
    assert!(e.contains("stream[cafile]"), "{e}");
    drop(server);
}

#[test]
fn a_write_no_replica_confirmed_is_not_reported_as_done() {
    assert_eq!(Config::parse("tcp://h").unwrap().wait_replicas, 0);
    assert_eq!(
        Config::parse("sentinel://h?service=m")
            .unwrap()
            .wait_replicas,
        1
    );
    assert_eq!(
        Config::parse("sentinel://h?service=m&wait_replicas=0")
            .unwrap()
            .wait_replicas,
        0
    );
    let primary = server!("--repl-diskless-sync-delay", "0");
    let f = Fixture::new(&format!(
        "{}?wait_replicas=1&read_timeout=0.4",
        primary.url()
    ));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    let e = h.write(ID, b"a|i:1;").unwrap_err().to_string();
    assert!(e.contains("0 of 1 replicas confirmed the write"), "{e}");
    drop(h);

    let port = primary.port.to_string();
    let _replica = server!("--replicaof", "127.0.0.1", &port);
    // Wait until the replica is in sync.
    let start = Instant::now();
    while !String::from_utf8_lossy(&primary.cli(&[b"INFO", b"replication"]))
        .contains("state=online")
    {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "replica not in sync"
        );
        sleep(Duration::from_millis(50));
    }
    // WAIT returns as soon as the replica acknowledges; a long timeout only
    // matters on a loaded machine.
    let f = Fixture::new(&format!(
        "{}?wait_replicas=1&read_timeout=10",
        primary.url()
    ));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:2;").unwrap();
    drop(h);
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:2;");
}

#[test]
fn a_request_that_saw_the_server_time_out_waits_for_it_once() {
    let server = server!();
    let f = Fixture::new(&format!("{}?timeout=0.5&read_timeout=0.5", server.url()));
    let mut h = f.handler();
    h.read(ID, LIFE).unwrap();
    h.write(ID, b"a|i:1;").unwrap();
    drop(h);
    server.signal("-STOP");
    // Every hook of a request: a new visitor's (create_sid's exists, read,
    // write) and a returning one's (strict mode's validate, read, write).
    let start = Instant::now();
    let mut h = f.handler();
    let errors = [
        h.exists(OTHER).err(),
        h.read(OTHER, LIFE).err(),
        h.write(OTHER, b"b|i:2;").err(),
        h.validate(ID, LIFE).err(),
        h.read(ID, LIFE).err(),
        h.write(ID, b"a|i:2;").err(),
    ];
    drop(h);
    let waited = start.elapsed();
    // A later request of the same process tries the server again.
    let start_later = Instant::now();
    let later = f.handler().read(ID, LIFE).err().map(|e| e.to_string());
    let waited_later = start_later.elapsed();
    // A process with no connection yet (a new php-fpm worker): connecting
    // to the stopped server costs one timeout too, for the whole request.
    let fresh = Fixture::new(&format!("{}?timeout=0.5&read_timeout=0.5", server.url()));
    let start_fresh = Instant::now();
    let mut h = fresh.handler();
    let fresh_errors = [h.exists(OTHER).err(), h.read(OTHER, LIFE).err()];
    drop(h);
    let waited_fresh = start_fresh.elapsed();
    server.signal("-CONT");
    for e in errors {
        let e = e
            .expect("a hook succeeded with the server stopped")
            .to_string();
        assert!(e.contains("timed out"), "{e}");
        assert!(e.contains(&format!("127.0.0.1:{}", server.port)), "{e}");
    }
    assert!(
        waited >= Duration::from_millis(450) && waited < Duration::from_millis(950),
        "the request waited {waited:?}, not about one timeout (0.5 s)"
    );
    assert!(later.is_some_and(|e| e.contains("timed out")));
    assert!(fresh_errors.iter().all(|e| e
        .as_ref()
        .is_some_and(|e| e.to_string().contains("timed out"))));
    assert!(
        waited_fresh >= Duration::from_millis(450) && waited_fresh < Duration::from_millis(950),
        "a request with a new connection waited {waited_fresh:?}, not about one timeout"
    );
    assert!(
        waited_later >= Duration::from_millis(450),
        "{waited_later:?}"
    );
    // Once the server answers, the next request is served (with the
    // session as last written: nothing was written while it was stopped).
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"a|i:1;");
}

#[test]
fn a_lock_held_past_several_leases_is_renewed_while_the_holder_lives() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(300);
    f.max_hold = Duration::from_secs(30);
    let mut holder = f.handler();
    holder.read(ID, LIFE).unwrap();
    sleep(Duration::from_millis(1200));
    // Four leases on: still the holder's.
    let mut other = f.handler();
    assert!(matches!(
        other.read(ID, LIFE),
        Err(Error::LockTimeout { .. })
    ));
    holder.write(ID, b"held|i:1;").unwrap();
    drop((holder, other));
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"held|i:1;");
}

#[test]
fn renewal_stops_at_the_max_hold_and_the_late_write_is_refused() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(300);
    f.max_hold = Duration::from_millis(600);
    let mut holder = f.handler();
    holder.read(ID, LIFE).unwrap();
    sleep(Duration::from_millis(400));
    // Past one lease, within the cap: renewed.
    assert!(matches!(
        f.handler().read(ID, LIFE),
        Err(Error::LockTimeout { .. })
    ));
    // Past the cap and one more lease: gone, the next request takes over.
    sleep(Duration::from_millis(900));
    let mut next = f.handler();
    next.read(ID, LIFE).unwrap();
    next.write(ID, b"newer|i:2;").unwrap();
    let text = holder.write(ID, b"older|i:1;").unwrap_err().to_string();
    assert!(text.contains("lost its lock"), "{text}");
    assert!(text.contains("renewed for at most 600 ms"), "{text}");
    drop((holder, next));
    assert_eq!(&*f.handler().read(ID, LIFE).unwrap(), b"newer|i:2;");
}

#[test]
fn a_holder_that_stops_renewing_loses_the_lock_after_one_lease() {
    let server = server!();
    let mut f = Fixture::new(&server.url());
    f.lease = Duration::from_millis(300);
    f.max_hold = Duration::from_secs(30);
    let store = f.store();
    let mut gone = store.lock(id(ID), Duration::ZERO, || Ok(vec![])).unwrap();
    sleep(Duration::from_millis(500));
    // The worker dies (kill -9, SIGSTOP): no more renewal, no release.
    gone.hold = None;
    std::mem::forget(gone);
    let start = Instant::now();
    store
        .lock(id(ID), Duration::from_secs(5), || Ok(vec![]))
        .unwrap();
    let waited = start.elapsed();
    assert!(waited < Duration::from_millis(600), "{waited:?}");
}
