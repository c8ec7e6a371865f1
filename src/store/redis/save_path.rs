//! `session.save_path` for the Redis/Valkey store, in the forms phpredis
//! users already have in php.ini (so changing `save_handler` is enough):
//!
//! - `tcp://host:port?database=N&prefix=P&timeout=S&read_timeout=S&persistent=0|1&auth=...`
//! - `unix:///path/redis.sock?database=N&...`
//! - `tls://host:port?...` (TLS, server certificate checked against the system roots)
//! - `redis://[user:pass@]host:port[/db][?...]`, `rediss://...` (TLS)
//! - cluster, phpredis' `rediscluster` form: `seed[]=host:port&seed[]=host:port&timeout=S&read_timeout=S`
//! - `sentinel://host:port,host:port?service=NAME&database=N&...`
//!
//! Several comma-separated servers (phpredis' weighted sharding) are refused:
//! a server that is down would lose its share of the sessions without a word.
//! Cluster or Sentinel is the answer for more than one server.

use std::{fmt, path::PathBuf, time::Duration};

/// Where the server is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One server over TCP (`tls`: over TLS).
    Tcp { host: String, port: u16, tls: bool },
    /// One server on a Unix socket.
    Unix(PathBuf),
    /// A Redis Cluster, reached through these seeds.
    Cluster {
        seeds: Vec<(String, u16)>,
        tls: bool,
    },
    /// The primary the Sentinels name for `service`.
    Sentinel {
        sentinels: Vec<(String, u16)>,
        service: String,
        tls: bool,
    },
}

/// A password or ACL user and password. Never printed (see `Debug`).
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    pub user: Option<String>,
    pub password: String,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Auth {{ user: {:?}, password: <hidden> }}", self.user)
    }
}

/// A parsed Redis save path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub target: Target,
    pub database: i64,
    /// Put before every key name, as phpredis' `prefix` (default `PHPREDIS_SESSION:`
    /// there; here `rustenc:`).
    pub prefix: String,
    /// Connect timeout.
    pub timeout: Duration,
    /// Read (reply) timeout.
    pub read_timeout: Duration,
    /// Keep the connection for the next request of this worker.
    pub persistent: bool,
    /// How many replicas must confirm each write (`WAIT`) before it is
    /// reported as done: 1 by default with Sentinel, whose failover would
    /// otherwise lose writes the old primary had not passed on yet; 0
    /// (asynchronous replication) elsewhere.
    pub wait_replicas: u32,
    /// Credentials given in the save path itself (`auth=`, `user:pass@`):
    /// visible in phpinfo(), so reported as weak.
    pub auth: Option<Auth>,
    /// TLS files, phpredis' `stream[cafile]=`, `stream[local_cert]=`,
    /// `stream[local_pk]=` (PEM).
    pub tls_files: TlsFiles,
}

/// PEM files for TLS: the CA that signed the server's certificate (else the
/// system's roots), and a client certificate and key (mutual TLS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: Option<PathBuf>,
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

/// The connect timeout when `timeout=` is not given: a server that does not
/// answer within it is taken as down (fail fast rather than pile up workers).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// The reply timeout when `read_timeout=` is not given.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(2);
/// The key prefix when `prefix=` is not given.
pub const DEFAULT_PREFIX: &str = "rustenc:";

/// Whether `value` names a Redis store rather than a directory.
pub fn is_redis(value: &str) -> bool {
    let v = value.trim_start();
    [
        "tcp://",
        "unix://",
        "tls://",
        "redis://",
        "rediss://",
        "sentinel://",
    ]
    .iter()
    .any(|s| v.len() >= s.len() && v[..s.len()].eq_ignore_ascii_case(s))
        || v.starts_with("seed[]=")
        || v.starts_with("seed%5B%5D=")
}

impl Config {
    /// Parses a save path; the error says what is wrong (never echoing a
    /// password).
    pub fn parse(value: &str) -> Result<Config, String> {
        let v = value.trim();
        if v.contains(',') && !lower(v).starts_with("sentinel://") && !v.starts_with("seed") {
            return Err(
                "several servers separated by commas (phpredis' weighted sharding) are \
                 not supported: a server that goes down would silently lose its share of the \
                 sessions; name one server, or a Cluster (seed[]=host:port&seed[]=...) or \
                 Sentinels (sentinel://host:port,host:port?service=NAME)"
                    .into(),
            );
        }
        let (scheme, rest) = match v.find("://") {
            Some(i) => (lower(&v[..i]), &v[i + 3..]),
            None if v.starts_with("seed") => (String::new(), v),
            None => return Err("no scheme".into()),
        };
        let (authority, query) = match rest.find('?') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None if scheme.is_empty() => ("", rest),
            None => (rest, ""),
        };
        let mut config = Config {
            target: Target::Unix(PathBuf::new()),
            database: 0,
            prefix: DEFAULT_PREFIX.into(),
            timeout: DEFAULT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            persistent: true,
            wait_replicas: 0,
            auth: None,
            tls_files: TlsFiles::default(),
        };
        let mut wait_replicas = None;
        let mut tls_param = false;
        let mut seeds = Vec::new();
        let mut service = None;
        let mut auth_parts: Vec<String> = Vec::new();
        let mut user = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, val) = pair.split_once('=').unwrap_or((pair, ""));
            let name = percent_decode(name)?;
            let val = percent_decode(val)?;
            match name.as_str() {
                "database" | "db" => {
                    config.database = val
                        .parse()
                        .ok()
                        .filter(|n| (0..=1_000_000).contains(n))
                        .ok_or_else(|| format!("database={val:?} is not a database number"))?
                }
                "prefix" => config.prefix = val,
                "timeout" => config.timeout = seconds("timeout", &val)?,
                "read_timeout" => config.read_timeout = seconds("read_timeout", &val)?,
                "persistent" => {
                    config.persistent = match val.as_str() {
                        "1" | "true" | "yes" | "on" => true,
                        "0" | "false" | "no" | "off" | "" => false,
                        // phpredis takes any other value as a persistent id.
                        _ => true,
                    }
                }
                "auth" | "auth[]" | "auth[pass]" | "auth[password]" => auth_parts.push(val),
                "auth[user]" | "user" => user = Some(val),
                "seed[]" | "seed" => seeds.push(host_port(&val, 6379)?),
                "service" => service = Some(val),
                "wait_replicas" => {
                    wait_replicas =
                        Some(val.parse().ok().filter(|n| *n <= 100).ok_or_else(|| {
                            format!("wait_replicas={val:?} is not a number of replicas")
                        })?)
                }
                "tls" | "ssl" => tls_param = val == "1" || val == "true" || val == "yes",
                "stream[cafile]" | "ssl[cafile]" => config.tls_files.ca = Some(val.into()),
                "stream[local_cert]" | "ssl[local_cert]" => {
                    config.tls_files.cert = Some(val.into())
                }
                "stream[local_pk]" | "ssl[local_pk]" => config.tls_files.key = Some(val.into()),
                "stream[verify_peer]"
                | "ssl[verify_peer]"
                | "stream[verify_peer_name]"
                | "ssl[verify_peer_name]" => {
                    if !matches!(val.as_str(), "1" | "true" | "yes" | "on") {
                        return Err(format!(
                            "{name}={val} is refused: rustenc always verifies the server's \
                             certificate and name; for a private CA give \
                             stream[cafile]=/path/ca.pem"
                        ));
                    }
                }
                // phpredis parameters that have no meaning here.
                "weight" | "retry_interval" | "persistent_id" | "failover" | "distribute"
                | "stream" | "lazy_connect" => {}
                _ => return Err(format!("unknown parameter {name:?}")),
            }
        }
        if config.prefix.contains(['{', '}']) {
            return Err(format!(
                "prefix={:?} holds braces, which would change the cluster hash tag \
                 rustenc puts around each session's hash",
                config.prefix
            ));
        }
        if !auth_parts.is_empty() {
            let (u, p) = match auth_parts.len() {
                1 => (user, auth_parts.remove(0)),
                2 => (Some(auth_parts.remove(0)), auth_parts.remove(0)),
                _ => return Err("auth[] is given more than twice".into()),
            };
            config.auth = Some(Auth {
                user: u,
                password: p,
            });
        }
        config.target = match scheme.as_str() {
            "" => {
                if seeds.is_empty() {
                    return Err("no seed[]=host:port".into());
                }
                if config.database != 0 {
                    return Err("a Redis Cluster has only database 0".into());
                }
                Target::Cluster {
                    seeds,
                    tls: tls_param,
                }
            }
            "tcp" | "tls" => {
                let (host, port) = host_port(authority, 6379)?;
                Target::Tcp {
                    host,
                    port,
                    tls: scheme == "tls",
                }
            }
            "unix" => {
                let path = percent_decode(authority)?;
                if !path.starts_with('/') {
                    return Err(
                        "unix:// needs an absolute socket path (unix:///run/redis/redis.sock)"
                            .into(),
                    );
                }
                Target::Unix(path.into())
            }
            "redis" | "rediss" | "valkey" | "valkeys" => {
                let (userinfo, hostpart) = match authority.rfind('@') {
                    Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
                    None => (None, authority),
                };
                let (hostport, db) = match hostpart.find('/') {
                    Some(i) => (&hostpart[..i], &hostpart[i + 1..]),
                    None => (hostpart, ""),
                };
                if !db.is_empty() {
                    config.database = db
                        .parse()
                        .ok()
                        .filter(|n| (0..=1_000_000).contains(n))
                        .ok_or_else(|| format!("/{db} is not a database number"))?;
                }
                if let Some(info) = userinfo {
                    let (u, p) = info.split_once(':').unwrap_or(("", info));
                    config.auth = Some(Auth {
                        user: (!u.is_empty()).then(|| percent_decode(u)).transpose()?,
                        password: percent_decode(p)?,
                    });
                }
                let (host, port) = host_port(hostport, 6379)?;
                Target::Tcp {
                    host,
                    port,
                    tls: scheme == "rediss" || scheme == "valkeys",
                }
            }
            "sentinel" => {
                let sentinels = authority
                    .split(',')
                    .map(|s| host_port(s.trim(), 26379))
                    .collect::<Result<Vec<_>, _>>()?;
                let service = service
                    .filter(|s| !s.is_empty())
                    .ok_or("sentinel:// needs service=NAME (the master name in sentinel.conf)")?;
                Target::Sentinel {
                    sentinels,
                    service,
                    tls: tls_param,
                }
            }
            other => return Err(format!("unknown scheme {other:?}://")),
        };
        config.wait_replicas =
            wait_replicas.unwrap_or(u32::from(matches!(config.target, Target::Sentinel { .. })));
        if config.wait_replicas > 0 && matches!(config.target, Target::Cluster { .. }) {
            // WAIT has no key: a cluster would send it to any primary.
            return Err("wait_replicas is not supported with a Cluster (seed[]=); \
                 use min-replicas-to-write on the cluster's primaries instead"
                .into());
        }
        let tls = matches!(
            config.target,
            Target::Tcp { tls: true, .. }
                | Target::Cluster { tls: true, .. }
                | Target::Sentinel { tls: true, .. }
        );
        if !tls && config.tls_files != TlsFiles::default() {
            return Err(
                "stream[cafile]/stream[local_cert]/stream[local_pk] need TLS: \
                 tls://host:port, rediss://, or tls=1 for seed[]= and sentinel://"
                    .into(),
            );
        }
        if config.tls_files.cert.is_some() != config.tls_files.key.is_some() {
            return Err("stream[local_cert] and stream[local_pk] go together".into());
        }
        Ok(config)
    }

    /// The server(s), for messages: never a password.
    pub fn server(&self) -> String {
        let db = if self.database != 0 {
            format!(" database {}", self.database)
        } else {
            String::new()
        };
        match &self.target {
            Target::Tcp { host, port, tls } => {
                format!("{}{host}:{port}{db}", if *tls { "tls://" } else { "" })
            }
            Target::Unix(path) => format!("unix://{}{db}", path.display()),
            Target::Cluster { seeds, .. } => format!("cluster {}", list(seeds)),
            Target::Sentinel {
                sentinels, service, ..
            } => format!("service {service} via sentinels {}{db}", list(sentinels)),
        }
    }

    /// What kind of store this is, for reports.
    pub fn kind(&self) -> &'static str {
        match self.target {
            Target::Tcp { tls: true, .. } => "redis (single server, TLS)",
            Target::Tcp { .. } => "redis (single server, TCP)",
            Target::Unix(_) => "redis (single server, Unix socket)",
            Target::Cluster { .. } => "redis cluster",
            Target::Sentinel { .. } => "redis sentinel",
        }
    }
}

fn list(hosts: &[(String, u16)]) -> String {
    hosts
        .iter()
        .map(|(h, p)| format!("{h}:{p}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

fn seconds(name: &str, val: &str) -> Result<Duration, String> {
    val.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= 3600.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{name}={val:?} is not a number of seconds between 0 and 3600"))
}

fn host_port(s: &str, default_port: u16) -> Result<(String, u16), String> {
    let s = s.trim();
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']').ok_or("unclosed [ in an IPv6 address")?;
        let host = &rest[..end];
        let after = &rest[end + 1..];
        (host, after.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if host.is_empty() || host.contains(['/', '?', '@', ' ']) {
        return Err(format!("{s:?} is not host:port"));
    }
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p
            .parse()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("{p:?} is not a port number"))?,
    };
    Ok((host.to_string(), port))
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or("a % not followed by two hex digits")?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoding that is not UTF-8".into())
}
