//! Which records make one variable: the grouping key and the members of each group.

use std::collections::{HashMap, HashSet};

use super::time_axis::stamp_seconds;
use super::PlanOptions;
use crate::file::File;
use crate::ip::{decode_ip, encode_ip, IpStyle, LevelKind};
use crate::record::{BaseType, ElementType, Name, RecordHeader};

/// What makes records one variable (fstd2nc's `_var_id`, plus the element type).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct VarKey {
    pub(super) nomvar: String,
    pub(super) typvar: String,
    pub(super) etiket: String,
    pub(super) shape: [u32; 3],
    pub(super) kind: Option<i32>,
    pub(super) grtyp: u8,
    pub(super) ig: [i32; 4],
    pub(super) dtype: ElementType,
}

/// [`VarKey`] with the names as stored (blank padded): equal exactly when the keys are
/// (names are only ever trimmed of their padding), and free to build for every record.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct RawKey {
    nomvar: Name<4>,
    typvar: Option<Name<2>>,
    etiket: Option<Name<12>>,
    shape: [u32; 3],
    kind: Option<i32>,
    grtyp: u8,
    ig: [i32; 4],
    dtype: ElementType,
}

impl RawKey {
    fn key(&self) -> VarKey {
        VarKey {
            nomvar: self.nomvar.trimmed().to_string(),
            typvar: self
                .typvar
                .map_or(String::new(), |t| t.trimmed().to_string()),
            etiket: self
                .etiket
                .map_or(String::new(), |e| e.trimmed().to_string()),
            shape: self.shape,
            kind: self.kind,
            grtyp: self.grtyp,
            ig: self.ig,
            dtype: self.dtype,
        }
    }
}

/// A record taking part in the plan.
pub(super) struct Member {
    pub(super) file: usize,
    pub(super) index: usize,
    pub(super) header: RecordHeader,
    /// Validity (or origin, with the forecast axis) date in seconds.
    pub(super) time: Option<i64>,
    /// Lead time in seconds (`deet·npas`).
    pub(super) lead: i64,
    /// Decoded ip1 value (f32 precision, as librmn); 1.0 for a folded diagnostic level.
    pub(super) level: f64,
    /// The ip1 whose descriptor row gives the level's coefficients (hybrid 1.0 for a
    /// folded diagnostic level).
    pub(super) ip1: i32,
    /// Whether this is a diagnostic-level record filed as hybrid level 1.0.
    pub(super) folded: bool,
    /// Etiket (the ensemble member with [`PlanOptions::ensembles`]), as stored.
    pub(super) etiket: Name<12>,
}

/// Records grouped into variables, in file order of each variable's first record.
pub(super) type Groups = (Vec<VarKey>, HashMap<VarKey, Vec<Member>>);

/// Groups the records of `files` into variables. Records on a `diagnostic` ip1 (sorted)
/// count as hybrid level 1.0 unless their nomvar is `unfolded`. The mask records `masks`
/// (`(file, record)`) belong to their fields and make no variable.
pub(super) fn group_records(
    files: &[&File],
    options: &PlanOptions,
    diagnostic: &[i32],
    unfolded: &HashSet<String>,
    masks: &HashSet<(usize, usize)>,
) -> Groups {
    let surface_ip1 = encode_ip(1.0, LevelKind::Hybrid, IpStyle::New).ok();
    // Groups in order of their first record; records of one variable usually follow
    // each other, so the last key is tried before the map.
    let mut found: Vec<(RawKey, Vec<Member>)> = Vec::new();
    let mut index_of: HashMap<RawKey, usize> = HashMap::new();
    let mut last: Option<(RawKey, usize)> = None;
    for (fi, file) in files.iter().enumerate() {
        for rec in file.records() {
            let h = rec.header;
            if h.is_descriptor()
                || matches!(h.nomvar.trimmed(), "META" | "PROJ")
                || masks.contains(&(fi, rec.index))
            {
                continue;
            }
            let (Some(base), Some(dtype)) = (h.datyp.base(), h.element_type()) else {
                continue;
            };
            if matches!(base, BaseType::Chars | BaseType::String) {
                continue;
            }
            let nomvar = h.nomvar.trimmed();
            let tiled = super::tiles::is_tile(&h);
            let fold = surface_ip1
                .filter(|_| diagnostic.binary_search(&h.ip1).is_ok() && !unfolded.contains(nomvar));
            let decoded = decode_ip(h.ip1);
            let (kind, level, ip1) = match fold {
                Some(surface) => (Some(LevelKind::Hybrid.code()), 1.0, surface),
                None => (
                    decoded.map(|l| l.kind.code()),
                    decoded.map_or(f64::from(h.ip1), |l| f64::from(l.value)),
                    h.ip1,
                ),
            };
            let key = RawKey {
                nomvar: h.nomvar,
                typvar: (!options.ignore_typvar).then_some(h.typvar),
                etiket: (!(options.ignore_etiket || options.ensembles)).then_some(h.etiket),
                // The tiles of a `#` grid differ by ni, nj, ig3, ig4 (fstd2nc's key too).
                shape: if tiled {
                    [0, 0, h.nk]
                } else {
                    [h.ni, h.nj, h.nk]
                },
                kind,
                grtyp: h.grtyp,
                ig: if tiled {
                    [h.ig1, h.ig2, 0, 0]
                } else {
                    [h.ig1, h.ig2, h.ig3, h.ig4]
                },
                dtype,
            };
            let lead = i64::from(h.deet).saturating_mul(i64::from(h.npas));
            let time = if options.forecast_axis {
                stamp_seconds(h.dateo)
            } else {
                stamp_seconds(h.datev)
            };
            let member = Member {
                file: fi,
                index: rec.index,
                header: h,
                time,
                lead,
                level,
                ip1,
                folded: fold.is_some(),
                etiket: h.etiket,
            };
            let at = match last {
                Some((k, at)) if k == key => at,
                _ => *index_of.entry(key).or_insert_with(|| {
                    found.push((key, Vec::new()));
                    found.len() - 1
                }),
            };
            last = Some((key, at));
            found[at].1.push(member);
        }
    }
    let order: Vec<VarKey> = found.iter().map(|(k, _)| k.key()).collect();
    let groups = order
        .iter()
        .cloned()
        .zip(found.into_iter().map(|(_, members)| members))
        .collect();
    (order, groups)
}

/// Nomvars with folded diagnostic records some of whose variables are one record or
/// have holes (fstd2nc's test before it splits the diagnostic level off again).
pub(super) fn nomvars_to_unfold(
    groups: &HashMap<VarKey, Vec<Member>>,
    options: &PlanOptions,
) -> Vec<String> {
    let folded: HashSet<&str> = groups
        .iter()
        .filter(|(_, members)| members.iter().any(|m| m.folded))
        .map(|(key, _)| key.nomvar.as_str())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (key, members) in groups {
        if !folded.contains(key.nomvar.as_str()) || out.contains(&key.nomvar) {
            continue;
        }
        let times = distinct(members, |m| m.time.unwrap_or(i64::MIN)).len();
        let leads = if options.forecast_axis {
            distinct(members, |m| m.lead).len()
        } else {
            1
        };
        let levels = distinct(members, |m| m.level).len();
        let member_of = |m: &Member| {
            if options.ensembles {
                m.etiket.trimmed().to_string()
            } else {
                String::new()
            }
        };
        let ensemble: HashSet<String> = members.iter().map(member_of).collect();
        let filled: HashSet<(i64, i64, u64, String)> = members
            .iter()
            .map(|m| {
                let lead = if options.forecast_axis { m.lead } else { 0 };
                (
                    m.time.unwrap_or(i64::MIN),
                    lead,
                    m.level.to_bits(),
                    member_of(m),
                )
            })
            .collect();
        let slots = times
            .saturating_mul(leads)
            .saturating_mul(levels)
            .saturating_mul(ensemble.len());
        if slots == 1 || filled.len() < slots {
            out.push(key.nomvar.clone());
        }
    }
    out
}

/// Sorted distinct values of `f` over `members` (by bit pattern for floats).
pub(super) fn distinct<T: PartialOrd + Copy>(
    members: &[Member],
    f: impl Fn(&Member) -> T,
) -> Vec<T> {
    let mut v: Vec<T> = members.iter().map(f).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.dedup_by(|a, b| a.partial_cmp(&b) == Some(std::cmp::Ordering::Equal));
    v
}
