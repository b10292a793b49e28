//! The three ips read together: level, time and third value (`ConvertIPtoPK`).

use super::{decode_ip, encode_ip, IpError, IpStyle, Level, LevelKind};

/// Guess-quality flags librmn returns with a decoded triple (`CONVERT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PkStatus(pub i32);

impl PkStatus {
    /// An old-style level or time: probably right.
    pub const GOOD_GUESS: i32 = 2;
    /// An old-style ip3 read as hours (librmn 19 only).
    pub const BAD_GUESS: i32 = 4;
    /// An old-style ip3: its kind is unknown.
    pub const TERRIBLE_GUESS: i32 = 8;
    /// ip1 held a time (swapped with ip2) or ip2 holds a level.
    pub const WARNING: i32 = 32;

    /// Whether a flag is set.
    pub fn has(self, flag: i32) -> bool {
        self.0 & flag != 0
    }
}

/// (ip1, ip2, ip3) decoded together: `level` from ip1, `time` from ip2, `third` from
/// ip3, after librmn's swaps that put a range's second bound in `third` (or the time
/// range's earlier time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PkTriple {
    /// The level (librmn's p1/kind1).
    pub level: Level,
    /// The time, normally in hours (p2/kind2).
    pub time: Level,
    /// The third value (p3/kind3).
    pub third: Level,
    /// How reliable librmn considers the interpretation.
    pub status: PkStatus,
}

/// Which librmn generation's rules to apply to an old-style ip3.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rules {
    /// librmn 19: ip3 ≤ 240 is hours, else an arbitrary value.
    Librmn19,
    /// librmn 20: an arbitrary value whose number is left unset (reported as 0).
    Librmn20,
}

/// librmn 20's `ConvertIPtoPK`: ip1 a level (a time in ip1 is swapped with ip2), ip2 a
/// time (old style: plain hours; a level is tolerated), ip3 anything.
///
/// An old-style ip3 comes back as kind [`LevelKind::Arbitrary`] with value 0: librmn 20
/// does not fill the value in that case (callers see their zeroed variable); read the raw
/// ip3 instead.
///
/// # Errors
/// [`IpError::InvalidIp`] for a negative ip or an invalid new-style encoding,
/// [`IpError::WrongKind`] when ip1 is not a level or ip2 neither a time nor a level.
pub fn ip_to_pk(ip1: i32, ip2: i32, ip3: i32) -> Result<PkTriple, IpError> {
    decode(ip1, ip2, ip3, Rules::Librmn20)
}

/// The same as [`ip_to_pk`] with librmn 19's rules: an old-style ip3 up to 240 is hours
/// (so ip2/ip3 form a time range), a larger one an arbitrary value; kind 7 (depth below
/// sea), added in librmn 20, is not a valid kind.
///
/// # Errors
/// As [`ip_to_pk`].
pub fn ip_to_pk_librmn19(ip1: i32, ip2: i32, ip3: i32) -> Result<PkTriple, IpError> {
    decode(ip1, ip2, ip3, Rules::Librmn19)
}

fn decode(mut ip1: i32, mut ip2: i32, ip3: i32, rules: Rules) -> Result<PkTriple, IpError> {
    for ip in [ip1, ip2, ip3] {
        let unknown_to_19 = rules == Rules::Librmn19
            && decode_ip(ip).is_some_and(|l| l.kind == LevelKind::DepthSea);
        if ip < 0 || unknown_to_19 {
            return Err(IpError::InvalidIp(ip));
        }
    }
    let mut status = 0;
    let mut level = decode_ip(ip1).ok_or(IpError::InvalidIp(ip1))?;
    if level.kind == LevelKind::Hours {
        std::mem::swap(&mut ip1, &mut ip2);
        level = decode_ip(ip1).ok_or(IpError::InvalidIp(ip1))?;
        status |= PkStatus::WARNING;
    }
    if ip1 < 32768 {
        status |= PkStatus::GOOD_GUESS;
    }
    if !level.kind.is_level() {
        return Err(IpError::WrongKind(ip1));
    }
    let mut time = if ip2 < 32768 {
        status |= PkStatus::GOOD_GUESS;
        Level {
            value: ip2 as f32,
            kind: LevelKind::Hours,
        }
    } else {
        let t = decode_ip(ip2).ok_or(IpError::InvalidIp(ip2))?;
        if t.kind != LevelKind::Hours {
            if !t.kind.is_level() {
                return Err(IpError::WrongKind(ip2));
            }
            status |= PkStatus::WARNING;
        }
        t
    };
    let mut third = if ip3 < 32768 {
        match rules {
            Rules::Librmn19 if ip3 <= 240 => {
                status |= PkStatus::BAD_GUESS;
                Level {
                    value: ip3 as f32,
                    kind: LevelKind::Hours,
                }
            }
            _ => {
                status |= PkStatus::TERRIBLE_GUESS;
                let value = if rules == Rules::Librmn19 {
                    ip3 as f32
                } else {
                    0.0
                };
                Level {
                    value,
                    kind: LevelKind::Arbitrary,
                }
            }
        }
    } else {
        decode_ip(ip3).ok_or(IpError::InvalidIp(ip3))?
    };
    if level.kind == time.kind && third.kind == LevelKind::Hours {
        // level/level/time: the second level goes to the third slot.
        std::mem::swap(&mut time, &mut third);
    }
    if level.kind == third.kind {
        let order = level.kind.order();
        if (order > 0 && level.value > third.value) || (order < 0 && level.value < third.value) {
            std::mem::swap(&mut level.value, &mut third.value);
        }
    }
    if time.kind == LevelKind::Hours && third.kind == LevelKind::Hours && time.value < third.value {
        std::mem::swap(&mut time.value, &mut third.value);
    }
    Ok(PkTriple {
        level,
        time,
        third,
        status: PkStatus(status),
    })
}

/// Encodes a (level, time, third) triple as (ip1, ip2, ip3), as librmn 20's
/// `ConvertPKtoIP`: always new style; a level/level/time triple puts the second level in
/// ip3 (ordered so ip1 is the lower one in the atmosphere) and the time in ip2; two times
/// are stored with the later one in ip2.
///
/// # Errors
/// [`IpError::WrongKind`] (code 0) if `level` is not a level kind or `time` neither hours
/// nor a level; [`IpError::OutOfRange`] if a value cannot be encoded for its kind.
pub fn pk_to_ip(level: Level, time: Level, third: Level) -> Result<[i32; 3], IpError> {
    if !level.kind.is_level() || !(time.kind == LevelKind::Hours || time.kind.is_level()) {
        return Err(IpError::WrongKind(0));
    }
    let encode = |l: Level| encode_ip(l.value, l.kind, IpStyle::New);
    let [mut ip1, mut ip2, mut ip3] = [encode(level)?, encode(time)?, encode(third)?];
    if level.kind == time.kind && third.kind == LevelKind::Hours {
        // level/level/time: the second level goes to ip3, the time to ip2.
        std::mem::swap(&mut ip2, &mut ip3);
        let (p1, p3) = (level.value, time.value);
        let order = level.kind.order();
        if (order > 0 && p1 > p3) || (order < 0 && p1 < p3) {
            std::mem::swap(&mut ip1, &mut ip3);
        }
    } else if time.kind == LevelKind::Hours
        && third.kind == LevelKind::Hours
        && time.value < third.value
    {
        std::mem::swap(&mut ip2, &mut ip3);
    }
    Ok([ip1, ip2, ip3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(t: PkTriple) -> [(f32, i32); 3] {
        [t.level, t.time, t.third].map(|l| (l.value, l.kind.code()))
    }

    #[test]
    fn librmn20_examples() {
        // From shared/data/librmn20 (mixed files).
        let t = ip_to_pk(75597472, 176285768, 0).unwrap();
        assert_eq!(flat(t), [(10.0, 4), (12.5, 10), (0.0, 3)]);
        assert_eq!(t.status, PkStatus(8));
        let t = ip_to_pk(59868832, 6, 7).unwrap();
        assert_eq!(flat(t), [(1.0, 3), (6.0, 10), (0.0, 3)]);
        assert_eq!(t.status, PkStatus(10));
    }

    #[test]
    fn librmn19_time_range_and_swaps() {
        let t = ip_to_pk_librmn19(41394464, 1, 2).unwrap();
        assert_eq!(flat(t), [(500.0, 2), (2.0, 10), (1.0, 10)]);
        // A time in ip1 is swapped with ip2.
        let t = ip_to_pk_librmn19(176280768, 6, 0).unwrap();
        assert_eq!(flat(t), [(6.0, 2), (12.0, 10), (0.0, 10)]);
        assert!(t.status.has(PkStatus::WARNING));
        assert_eq!(
            ip_to_pk(251658243, 6, 0),
            Err(IpError::WrongKind(251658243))
        );
        assert_eq!(ip_to_pk(41001, 41002, 0), Err(IpError::InvalidIp(41001)));
        assert_eq!(ip_to_pk(-1, 0, 0), Err(IpError::InvalidIp(-1)));
    }

    #[test]
    fn encode_triples() {
        let lv = |value, kind| Level { value, kind };
        let (hpa, h) = (LevelKind::Pressure, LevelKind::Hours);
        let ips = pk_to_ip(lv(500.0, hpa), lv(6.0, h), lv(0.0, h)).unwrap();
        assert_eq!(
            ips,
            [
                41394464,
                177809344,
                encode_ip(0.0, h, IpStyle::New).unwrap()
            ]
        );
        // A pressure range: the higher pressure (lower in the atmosphere) in ip1.
        let ips = pk_to_ip(lv(500.0, hpa), lv(1000.0, hpa), lv(6.0, h)).unwrap();
        assert_eq!(ips, [39945888, 177809344, 41394464]);
        let t = ip_to_pk(ips[0], ips[1], ips[2]).unwrap();
        assert_eq!(flat(t), [(1000.0, 2), (6.0, 10), (500.0, 2)]);
        // A time range: the later time in ip2.
        let ips = pk_to_ip(lv(500.0, hpa), lv(6.0, h), lv(12.0, h)).unwrap();
        let t = ip_to_pk(ips[0], ips[1], ips[2]).unwrap();
        assert_eq!(flat(t), [(500.0, 2), (12.0, 10), (6.0, 10)]);
        let bad = pk_to_ip(lv(6.0, h), lv(6.0, h), lv(0.0, h));
        assert_eq!(bad, Err(IpError::WrongKind(0)));
    }

    proptest::proptest! {
        /// Any triple either decodes or is refused; a decoded level is a level kind.
        #[test]
        fn any_triple_is_safe(ip1: i32, ip2: i32, ip3: i32) {
            let decoded = [ip_to_pk(ip1, ip2, ip3), ip_to_pk_librmn19(ip1, ip2, ip3)];
            for t in decoded.into_iter().flatten() {
                proptest::prop_assert!(t.level.kind.is_level());
            }
        }
    }
}
