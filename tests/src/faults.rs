//! Fault injection: spec parsing and the deterministic per-request roll.
//!
//! Spec syntax: comma-separated `[before:|after:]KIND=PROBABILITY` entries plus an optional
//! `latency=DURATION` (`20ms`, `1s`, or a bare number of milliseconds). Kinds: `500`, `503`,
//! `429`, `reset`, `malformed`, `html`. Example:
//! `500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01,html=0.01,latency=20ms`.

use crate::rng::SplitMix64;
use std::fmt;

/// What goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// 500 with an errors[] body.
    Status500,
    /// 503 with `Retry-After: 1`.
    Status503,
    /// 429 with `Retry-After: 1`.
    Status429,
    /// The connection is closed without a response.
    Reset,
    /// 200 with a truncated JSON body.
    Malformed,
    /// 502 with an HTML page (a proxy error).
    Html,
}

impl FaultKind {
    /// Spec name.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Status500 => "500",
            FaultKind::Status503 => "503",
            FaultKind::Status429 => "429",
            FaultKind::Reset => "reset",
            FaultKind::Malformed => "malformed",
            FaultKind::Html => "html",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "500" => FaultKind::Status500,
            "503" => FaultKind::Status503,
            "429" => FaultKind::Status429,
            "reset" => FaultKind::Reset,
            "malformed" => FaultKind::Malformed,
            "html" | "502" => FaultKind::Html,
            _ => return None,
        })
    }
}

/// When a write fault strikes relative to applying the write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Nothing was applied.
    Before,
    /// The write was applied (and logged); only the answer is lost or replaced.
    After,
}

impl Phase {
    /// `before` / `after`.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::After => "after",
        }
    }
}

/// One `[phase:]kind=probability` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultEntry {
    /// The fault.
    pub kind: FaultKind,
    /// Probability per API request.
    pub prob: f64,
    /// Forced phase for writes (`None` = 50/50 roll).
    pub phase: Option<Phase>,
}

/// A parsed fault spec.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultSpec {
    /// Entries in spec order (cumulative probability follows this order).
    pub entries: Vec<FaultEntry>,
    /// Delay added to every API response, in milliseconds.
    pub latency_ms: u64,
}

/// A fault chosen for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// The fault.
    pub kind: FaultKind,
    /// The phase (always `Before` for reads).
    pub phase: Phase,
}

impl FaultSpec {
    /// Parses a spec; the empty string is "no faults".
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut out = FaultSpec::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("fault entry {part:?}: expected KIND=VALUE"))?;
            let key = key.trim();
            let value = value.trim();
            if key.eq_ignore_ascii_case("latency") {
                out.latency_ms =
                    parse_duration_ms(value).ok_or_else(|| format!("bad latency {value:?}"))?;
                continue;
            }
            let (phase, kind) = match key.split_once(':') {
                Some((p, k)) => {
                    let phase = match p.trim().to_ascii_lowercase().as_str() {
                        "before" => Phase::Before,
                        "after" => Phase::After,
                        _ => {
                            return Err(format!(
                                "fault entry {part:?}: phase must be before or after"
                            ))
                        }
                    };
                    (Some(phase), k)
                }
                None => (None, key),
            };
            let kind = FaultKind::parse(kind).ok_or_else(|| {
                format!("fault entry {part:?}: unknown kind (500, 503, 429, reset, malformed, html, latency)")
            })?;
            let prob: f64 = value
                .parse()
                .map_err(|_| format!("fault entry {part:?}: probability must be a number"))?;
            if !(0.0..=1.0).contains(&prob) {
                return Err(format!(
                    "fault entry {part:?}: probability must be within 0..=1"
                ));
            }
            if kind == FaultKind::Status429 && phase == Some(Phase::After) {
                // A 429 tells the client the request was not processed; a rate limiter
                // refuses before it applies anything, so "after" would model a broken server.
                return Err(format!(
                    "fault entry {part:?}: 429 is always injected before the write"
                ));
            }
            out.entries.push(FaultEntry { kind, prob, phase });
        }
        let total: f64 = out.entries.iter().map(|e| e.prob).sum();
        if total > 1.0 + 1e-9 {
            return Err(format!("fault probabilities add up to {total} > 1"));
        }
        Ok(out)
    }

    /// Whether any probabilistic fault is configured.
    pub fn is_active(&self) -> bool {
        self.entries.iter().any(|e| e.prob > 0.0)
    }

    /// Rolls the fault of one API request. Consumes one draw when any fault is configured,
    /// plus one more for the phase of an unforced fault on a write (429 excepted: it is
    /// always injected before the write, as a real rate limiter refuses first).
    pub fn roll(&self, rng: &mut SplitMix64, is_write: bool) -> Option<Fault> {
        if !self.is_active() {
            return None;
        }
        let u = rng.next_f64();
        let mut acc = 0.0;
        for e in &self.entries {
            acc += e.prob;
            if u < acc {
                let phase = if !is_write || e.kind == FaultKind::Status429 {
                    Phase::Before
                } else {
                    match e.phase {
                        Some(p) => p,
                        None if rng.chance(0.5) => Phase::After,
                        None => Phase::Before,
                    }
                };
                return Some(Fault {
                    kind: e.kind,
                    phase,
                });
            }
        }
        None
    }
}

impl Fault {
    /// One entry of a write-fault schedule: `""` (no fault), `KIND` (before the write) or
    /// `before:KIND` / `after:KIND`.
    pub fn parse_scheduled(s: &str) -> Result<Option<Fault>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        let (phase, kind) = match s.split_once(':') {
            Some(("before", k)) => (Phase::Before, k),
            Some(("after", k)) => (Phase::After, k),
            Some(_) => return Err(format!("write fault {s:?}: phase must be before or after")),
            None => (Phase::Before, s),
        };
        let kind =
            FaultKind::parse(kind).ok_or_else(|| format!("write fault {s:?}: unknown kind"))?;
        if kind == FaultKind::Status429 && phase == Phase::After {
            return Err(format!(
                "write fault {s:?}: 429 is always injected before the write"
            ));
        }
        Ok(Some(Fault { kind, phase }))
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self
            .entries
            .iter()
            .map(|e| match e.phase {
                Some(p) => format!("{}:{}={}", p.name(), e.kind.name(), e.prob),
                None => format!("{}={}", e.kind.name(), e.prob),
            })
            .collect();
        if self.latency_ms > 0 {
            parts.push(format!("latency={}ms", self.latency_ms));
        }
        f.write_str(&parts.join(","))
    }
}

impl std::str::FromStr for FaultSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        FaultSpec::parse(s)
    }
}

fn parse_duration_ms(v: &str) -> Option<u64> {
    let v = v.trim();
    if let Some(n) = v.strip_suffix("ms") {
        n.trim().parse().ok()
    } else if let Some(n) = v.strip_suffix('s') {
        n.trim().parse::<f64>().ok().map(|s| (s * 1000.0) as u64)
    } else {
        v.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_spec() {
        let s = FaultSpec::parse(
            "500=0.05,503=0.02,429=0.05,reset=0.01,malformed=0.01,html=0.01,latency=20ms",
        )
        .unwrap();
        assert_eq!(s.entries.len(), 6);
        assert_eq!(s.latency_ms, 20);
        let s = FaultSpec::parse("before:500=0.1, after:reset=0.1").unwrap();
        assert_eq!(s.entries[0].phase, Some(Phase::Before));
        assert_eq!(s.entries[1].phase, Some(Phase::After));
        assert_eq!(FaultSpec::parse("").unwrap(), FaultSpec::default());
        assert!(FaultSpec::parse("boom=0.1").is_err());
        assert!(FaultSpec::parse("500=2").is_err());
        assert!(FaultSpec::parse("500=0.7,503=0.7").is_err());
        assert!(FaultSpec::parse("during:500=0.1").is_err());
        assert_eq!(FaultSpec::parse("latency=1s").unwrap().latency_ms, 1000);
    }

    #[test]
    fn scheduled_write_faults() {
        let f = |s| Fault::parse_scheduled(s);
        assert_eq!(f(""), Ok(None));
        assert_eq!(
            f("after:500"),
            Ok(Some(Fault {
                kind: FaultKind::Status500,
                phase: Phase::After
            }))
        );
        assert_eq!(f("reset").unwrap().unwrap().phase, Phase::Before);
        assert!(f("after:429").is_err());
        assert!(f("during:500").is_err());
        assert!(f("boom").is_err());
    }

    #[test]
    fn rate_limit_faults_never_apply_the_write() {
        assert!(FaultSpec::parse("after:429=0.1").is_err());
        let spec = FaultSpec::parse("429=1").unwrap();
        let mut rng = SplitMix64::new(1);
        for _ in 0..50 {
            assert_eq!(spec.roll(&mut rng, true).unwrap().phase, Phase::Before);
        }
    }

    #[test]
    fn roll_is_deterministic() {
        let s = FaultSpec::parse("500=0.3,reset=0.3").unwrap();
        let run = || {
            let mut rng = SplitMix64::new(1);
            (0..50)
                .map(|i| s.roll(&mut rng, i % 2 == 0))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
        assert!(run().iter().any(Option::is_some));
        assert!(run().iter().any(Option::is_none));
        let all = FaultSpec::parse("after:500=1").unwrap();
        let mut rng = SplitMix64::new(1);
        assert_eq!(
            all.roll(&mut rng, true),
            Some(Fault {
                kind: FaultKind::Status500,
                phase: Phase::After
            })
        );
        assert_eq!(
            all.roll(&mut rng, false),
            Some(Fault {
                kind: FaultKind::Status500,
                phase: Phase::Before
            })
        );
    }
}
