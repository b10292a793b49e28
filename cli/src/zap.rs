//! `cp --zap KEY=VALUE`: edit keys of the copied records (editfst `ZAP`). Only keys that
//! describe the record change; the data area is copied as stored, so the keys that say
//! how to read it (ni, nj, nk, datyp, nbits) cannot be zapped.

use fst24::ip::{encode_ip, IpStyle, LevelKind};
use fst24::record::Name;
use fst24::select::{parse_date, parse_ip, IpValue};
use fst24::time::{incdatr, unix_to_stamp};
use fst24::RecordHeader;

use crate::CliError;

/// One key edit.
#[derive(Debug, Clone)]
pub(crate) enum Zap {
    Nomvar(String),
    Typvar(String),
    Etiket(String),
    Ip(usize, i32),
    Dateo(i32),
    Deet(i32),
    Npas(i32),
    Grtyp(u8),
    Ig(usize, i32),
}

fn int(key: &str, v: &str) -> Result<i32, CliError> {
    v.parse()
        .map_err(|_| CliError::usage(format!("--zap {key}: {v:?} is not an integer")))
}

fn ip(key: &str, position: usize, v: &str) -> Result<i32, CliError> {
    let bad = |e: &dyn std::fmt::Display| CliError::usage(format!("--zap {key}={v}: {e}"));
    match parse_ip(v).map_err(|e| bad(&e))? {
        IpValue::Code(c) if c >= 0 => Ok(c),
        IpValue::Code(_) => Err(bad(&"an ip code is not negative")),
        IpValue::Level(l) => {
            // An ip2 given in hours stays hours; other positions take any kind.
            let kind = if position == 1 && l.kind == LevelKind::Hours {
                LevelKind::Hours
            } else {
                l.kind
            };
            encode_ip(l.value, kind, IpStyle::New).map_err(|e| bad(&e))
        }
    }
}

fn name(key: &str, v: &str, max: usize) -> Result<String, CliError> {
    if v.len() > max || !v.is_ascii() {
        return Err(CliError::usage(format!(
            "--zap {key}: {v:?} is longer than {max} characters or not ASCII"
        )));
    }
    Ok(v.to_ascii_uppercase())
}

impl Zap {
    /// Parses `KEY=VALUE`.
    pub(crate) fn parse(text: &str) -> Result<Zap, CliError> {
        let (key, v) = text
            .split_once('=')
            .ok_or_else(|| CliError::usage(format!("--zap {text:?}: expected KEY=VALUE")))?;
        let (key, v) = (key.trim().to_ascii_lowercase(), v.trim());
        Ok(match key.as_str() {
            "nomvar" => Zap::Nomvar(name(&key, v, 4)?),
            "typvar" => Zap::Typvar(name(&key, v, 2)?),
            "etiket" => Zap::Etiket(name(&key, v, 12)?),
            "ip1" | "level" => Zap::Ip(0, ip(&key, 0, v)?),
            "ip2" => Zap::Ip(1, ip(&key, 1, v)?),
            "ip3" => Zap::Ip(2, ip(&key, 2, v)?),
            "dateo" | "date" => {
                let secs = parse_date(v).map_err(|e| CliError::usage(format!("--zap {key}: {e}")))?;
                Zap::Dateo(unix_to_stamp(secs).map_err(|e| CliError::usage(format!("--zap {key}: {e}")))?)
            }
            "deet" => Zap::Deet(int(&key, v)?),
            "npas" => Zap::Npas(int(&key, v)?),
            "grtyp" if v.len() == 1 && v.is_ascii() => Zap::Grtyp(v.to_ascii_uppercase().as_bytes()[0]),
            "ig1" => Zap::Ig(0, int(&key, v)?),
            "ig2" => Zap::Ig(1, int(&key, v)?),
            "ig3" => Zap::Ig(2, int(&key, v)?),
            "ig4" => Zap::Ig(3, int(&key, v)?),
            _ => {
                return Err(CliError::usage(format!(
                    "--zap {text:?}: cannot edit {key:?} (editable: nomvar typvar etiket ip1 ip2 ip3 dateo deet npas grtyp ig1..ig4)"
                )))
            }
        })
    }
}

/// Applies the edits to a copy of `h`; the valid date follows dateo, deet and npas.
pub(crate) fn apply(zaps: &[Zap], h: &RecordHeader) -> Result<RecordHeader, String> {
    let mut out = *h;
    let mut timing = false;
    for z in zaps {
        match z {
            Zap::Nomvar(v) => out.nomvar = Name::new(v),
            Zap::Typvar(v) => out.typvar = Name::new(v),
            Zap::Etiket(v) => out.etiket = Name::new(v),
            Zap::Ip(0, v) => out.ip1 = *v,
            Zap::Ip(1, v) => out.ip2 = *v,
            Zap::Ip(_, v) => out.ip3 = *v,
            Zap::Dateo(v) => {
                out.dateo = *v;
                timing = true;
            }
            Zap::Deet(v) => {
                out.deet = *v;
                timing = true;
            }
            Zap::Npas(v) => {
                out.npas = *v;
                timing = true;
            }
            Zap::Grtyp(v) => out.grtyp = *v,
            Zap::Ig(0, v) => out.ig1 = *v,
            Zap::Ig(1, v) => out.ig2 = *v,
            Zap::Ig(2, v) => out.ig3 = *v,
            Zap::Ig(_, v) => out.ig4 = *v,
        }
    }
    if timing {
        let hours = f64::from(out.deet) * f64::from(out.npas) / 3600.0;
        out.datev = if out.dateo == 0 {
            0
        } else {
            incdatr(out.dateo, hours).map_err(|e| format!("valid date of the edited keys: {e}"))?
        };
    }
    Ok(out)
}
