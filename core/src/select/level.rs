//! Decoded ip values: units as `voir` prints them, and what an ip means at each position.

use crate::ip::{decode_ip, is_new_style, Level, LevelKind};

use super::key::Key;

/// The kind named by a unit suffix (`mb`, `hy`, `10m`'s `m`, ...).
pub(super) fn kind_of_unit(unit: &str) -> Option<LevelKind> {
    // Height above sea (m), above ground (M) and depth (m-) differ by case only.
    match unit {
        "m" => return Some(LevelKind::HeightSea),
        "M" => return Some(LevelKind::HeightGround),
        "m-" | "M-" => return Some(LevelKind::DepthSea),
        _ => {}
    }
    Some(match unit.to_ascii_lowercase().as_str() {
        "sg" | "sigma" => LevelKind::Sigma,
        "mb" | "hpa" => LevelKind::Pressure,
        "arb" | "a" => LevelKind::Arbitrary,
        "hy" | "hyb" => LevelKind::Hybrid,
        "th" | "theta" => LevelKind::Theta,
        "h" | "hr" | "hrs" | "hours" => LevelKind::Hours,
        "_0" | "int" => LevelKind::Integer,
        "[]" | "idx" => LevelKind::MatrixIndex,
        "mp" => LevelKind::PressureMetres,
        _ => return None,
    })
}

/// What the ip at `key`'s position means: a new-style ip is self-describing; an old-style
/// ip1 is a level, an old-style ip2 is hours, an old-style ip3 is a plain code.
pub(super) fn decode_at(key: Key, ip: i32) -> Option<Level> {
    if is_new_style(ip) || key == Key::Ip1 {
        return decode_ip(ip);
    }
    if key == Key::Ip2 && ip >= 0 {
        return Some(Level {
            value: ip as f32,
            kind: LevelKind::Hours,
        });
    }
    None
}

/// Equal levels: same kind and values equal to single precision (both encodings of a
/// level decode to the same `f32`, or to neighbours for values old style cannot hold).
pub(super) fn same_level(a: Level, b: Level) -> bool {
    a.kind == b.kind && close(a.value, b.value)
}

/// Within a few single-precision steps (what encoding a decimal value loses).
pub(super) fn close(a: f32, b: f32) -> bool {
    a == b || (a - b).abs() <= 4.0 * f32::EPSILON * a.abs().max(b.abs())
}
