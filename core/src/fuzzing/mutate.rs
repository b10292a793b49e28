//! A structure-aware mutator: it knows where the sizes, offsets, counts and keys of an XDF
//! or RSF file live (`shared/spec/{xdf,rsf}.md`) and makes copies of a real file with one
//! of those fields set to a boundary value (0, 1, −1, 2^31, 2^32−1, the file size ± 1 in
//! the field's unit). Random byte flips rarely hit such a field with such a value; this
//! reaches the size arithmetic of every layer above the decoders (plan, exporters,
//! bindings) in a few thousand runs.

/// How a field's word is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// A big-endian u32 (XDF).
    Be32,
    /// A little-endian u32 (RSF).
    Le32,
    /// Two little-endian u32, most significant first (RSF "u64hl").
    Le64Hl,
}

/// One field of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Where it is, e.g. `xdf page 0 entry 3 ni`.
    pub name: String,
    /// Byte offset of the word that holds it.
    pub byte: usize,
    /// Storage of that word.
    pub word: Word,
    /// Lowest bit of the field in the word's value.
    pub shift: u32,
    /// Width in bits.
    pub bits: u32,
    /// Bytes per unit when the field is a size or an address (1 = bytes, 8 = W64), so
    /// that "file size ± 1" is offered in that unit; 0 for counts and keys.
    pub unit: u64,
    /// An XDF directory page `(offset, length)` whose checksum is refreshed after the
    /// change, so the mutant reaches the entry parsers (librmn only warns on a bad one).
    pub checksummed_page: Option<(usize, usize)>,
}

/// A copy of a file with one field changed.
#[derive(Debug, Clone)]
pub struct Mutant {
    /// `field = value`, for reports and regression names.
    pub label: String,
    /// The mutated file.
    pub bytes: Vec<u8>,
}

impl Field {
    fn mask(&self) -> u64 {
        if self.bits >= 64 {
            u64::MAX
        } else {
            (1u64 << self.bits) - 1
        }
    }

    /// Reads the field's current value in `bytes`.
    pub fn get(&self, bytes: &[u8]) -> u64 {
        (read_word(bytes, self.byte, self.word) >> self.shift) & self.mask()
    }

    /// Writes `value` (truncated to the field's width) into `bytes`.
    pub fn set(&self, bytes: &mut [u8], value: u64) {
        let mask = self.mask() << self.shift;
        let old = read_word(bytes, self.byte, self.word);
        let new = (old & !mask) | ((value << self.shift) & mask);
        write_word(bytes, self.byte, self.word, new);
        if let Some((page, len)) = self.checksummed_page {
            if self.byte != page + 24 {
                refresh_xdf_checksum(bytes, page, len);
            }
        }
    }

    /// The boundary values worth trying for this field in a file of `file_len` bytes,
    /// without duplicates and without the current value.
    pub fn boundary_values(&self, bytes: &[u8]) -> Vec<u64> {
        let mask = self.mask();
        let mut values = vec![
            0,
            1,
            mask,                            // −1
            (1u64 << 31) & mask,             // 2^31 (0 in narrow fields: dropped below)
            0xFFFF_FFFF & mask,              // 2^32 − 1
            1u64 << (self.bits.min(64) - 1), // the sign bit of a narrow field
        ];
        if self.name.ends_with("grtyp") {
            // Grid types whose coordinates the dataset plan builds.
            values.extend(b"GLZEYUNSAB#".iter().map(|&c| u64::from(c)));
        }
        if let Some(size) = (bytes.len() as u64).checked_div(self.unit) {
            values.extend([size.wrapping_sub(1), size, size + 1]);
        }
        let current = self.get(bytes);
        let mut out = Vec::new();
        for v in values {
            let v = v & mask;
            if v != current && !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

fn read_word(bytes: &[u8], at: usize, word: Word) -> u64 {
    let u32_at = |i: usize, be: bool| {
        let b = [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
        u64::from(if be {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    match word {
        Word::Be32 => u32_at(at, true),
        Word::Le32 => u32_at(at, false),
        Word::Le64Hl => (u32_at(at, false) << 32) | u32_at(at + 4, false),
    }
}

fn write_word(bytes: &mut [u8], at: usize, word: Word, value: u64) {
    match word {
        Word::Be32 => bytes[at..at + 4].copy_from_slice(&(value as u32).to_be_bytes()),
        Word::Le32 => bytes[at..at + 4].copy_from_slice(&(value as u32).to_le_bytes()),
        Word::Le64Hl => {
            bytes[at..at + 4].copy_from_slice(&((value >> 32) as u32).to_le_bytes());
            bytes[at + 4..at + 8].copy_from_slice(&(value as u32).to_le_bytes());
        }
    }
}

/// Sets word 6 of the XDF page at `page` so the XOR of words 4.. is 0 again.
fn refresh_xdf_checksum(bytes: &mut [u8], page: usize, len: usize) {
    let mut xor = 0u32;
    for w in (page + 16..page + len).step_by(4) {
        if w != page + 24 {
            xor ^= u32::from_be_bytes([bytes[w], bytes[w + 1], bytes[w + 2], bytes[w + 3]]);
        }
    }
    bytes[page + 24..page + 28].copy_from_slice(&xor.to_be_bytes());
}

/// Collects fields, skipping any that would not fit in the file.
struct Fields<'a> {
    bytes: &'a [u8],
    out: Vec<Field>,
    page: Option<(usize, usize)>,
}

impl Fields<'_> {
    fn add(&mut self, name: String, byte: usize, word: Word, shift: u32, bits: u32, unit: u64) {
        let size = if word == Word::Le64Hl { 8 } else { 4 };
        if byte
            .checked_add(size)
            .is_some_and(|end| end <= self.bytes.len())
        {
            self.out.push(Field {
                name,
                byte,
                word,
                shift,
                bits,
                unit,
                checksummed_page: self.page,
            });
        }
    }

    fn value(&self, byte: usize, word: Word) -> Option<u64> {
        let size = if word == Word::Le64Hl { 8 } else { 4 };
        (byte.checked_add(size)? <= self.bytes.len()).then(|| read_word(self.bytes, byte, word))
    }
}

/// The size, offset, count and key fields of `bytes` (XDF or RSF; empty for anything else).
pub fn fields(bytes: &[u8]) -> Vec<Field> {
    let mut f = Fields {
        bytes,
        out: Vec::new(),
        page: None,
    };
    if bytes.len() >= 16 && &bytes[12..16] == b"STDR" {
        xdf_fields(&mut f);
    } else if bytes.len() >= 24 && &bytes[16..24] == b"RSF0STDF" {
        rsf_fields(&mut f);
    }
    f.out
}

/// The key words shared by XDF entries (from word 2) and RSF metadata (from word 3, one
/// word later, with different shifts): `(name, word, shift, bits)` per layout.
const XDF_KEYS: &[(&str, usize, u32, u32)] = &[
    ("nbits", 2, 0, 8),
    ("deet", 2, 8, 24),
    ("grtyp", 3, 0, 8),
    ("ni", 3, 8, 24),
    ("datyp", 4, 0, 8),
    ("nj", 4, 8, 24),
    ("nk", 5, 12, 20),
    ("npas", 6, 6, 26),
    ("ig4", 7, 8, 24),
    ("ig1", 8, 8, 24),
    ("ig3", 9, 8, 24),
    ("ni_b", 12, 0, 8),
    ("dasiz", 13, 0, 8),
    ("nomvar", 13, 8, 24),
    ("ip1", 14, 4, 28),
    ("nj_b", 15, 0, 4),
    ("ip2", 15, 4, 28),
    ("nj_c", 16, 0, 4),
    ("ip3", 16, 4, 28),
    ("date", 17, 0, 32),
];

const RSF_KEYS: &[(&str, usize, u32, u32)] = &[
    ("type", 0, 0, 8),
    ("ext_words", 2, 0, 16),
    ("num_keys", 2, 16, 8),
    ("nbits", 3, 0, 8),
    ("deet", 3, 8, 24),
    ("grtyp", 4, 0, 8),
    ("ni", 4, 8, 24),
    ("datyp", 5, 0, 8),
    ("nj", 5, 8, 24),
    ("nk", 6, 12, 20),
    ("npas", 7, 6, 26),
    ("ig4", 8, 8, 24),
    ("ig1", 9, 8, 24),
    ("ig3", 10, 8, 24),
    ("ni_b", 13, 0, 8),
    ("dasiz", 14, 0, 8),
    ("nomvar", 14, 8, 24),
    ("ip1", 15, 4, 28),
    ("nj_b", 16, 0, 4),
    ("ip2", 16, 4, 28),
    ("nj_c", 17, 0, 4),
    ("ip3", 17, 4, 28),
    ("date", 18, 0, 32),
];

fn xdf_fields(f: &mut Fields<'_>) {
    use Word::Be32;
    let h = |k: usize| 4 * k;
    f.add("xdf header lng".into(), h(0), Be32, 0, 24, 8);
    f.add("xdf header idtyp".into(), h(0), Be32, 24, 8, 0);
    f.add("xdf header fsiz".into(), h(4), Be32, 0, 32, 8);
    f.add("xdf header nxtn".into(), h(6), Be32, 0, 32, 0);
    f.add("xdf header nbd".into(), h(7), Be32, 0, 32, 0);
    f.add("xdf header plst".into(), h(8), Be32, 0, 32, 8);
    f.add("xdf header nbig".into(), h(9), Be32, 0, 32, 8);
    f.add("xdf header lprm".into(), h(10), Be32, 0, 16, 8);
    f.add("xdf header nprm".into(), h(10), Be32, 16, 16, 0);
    f.add("xdf header laux".into(), h(11), Be32, 0, 16, 8);
    f.add("xdf header naux".into(), h(11), Be32, 16, 16, 0);
    f.add("xdf header nrec".into(), h(13), Be32, 0, 32, 0);
    f.add("xdf header rwflg".into(), h(14), Be32, 0, 32, 0);
    let (Some(w0), Some(nbd), Some(w10)) =
        (f.value(0, Be32), f.value(h(7), Be32), f.value(h(10), Be32))
    else {
        return;
    };
    let lprm = (w10 & 0xFFFF) as usize;
    if lprm == 0 {
        return;
    }
    let page_len = (256 * lprm + 4) * 8;
    let mut addr = (w0 & 0xFF_FFFF) + 1;
    for page in 0..nbd.min(1024) {
        let Some(at) = usize::try_from(addr - 1)
            .ok()
            .and_then(|a| a.checked_mul(8))
        else {
            return;
        };
        if at
            .checked_add(page_len)
            .is_none_or(|end| end > f.bytes.len())
        {
            return;
        }
        f.page = None;
        let p = |k: usize| at + 4 * k;
        f.add(format!("xdf page {page} lng"), p(0), Be32, 0, 24, 8);
        f.add(format!("xdf page {page} nxt_addr"), p(4), Be32, 0, 32, 8);
        f.add(format!("xdf page {page} nent"), p(5), Be32, 0, 32, 0);
        f.add(format!("xdf page {page} chksum"), p(6), Be32, 0, 32, 0);
        f.page = Some((at, page_len));
        let nent = f.value(p(5), Be32).unwrap_or(0).min(256) as usize;
        for e in 0..nent {
            let entry = at + 32 + e * lprm * 8;
            let name = |what: &str| format!("xdf page {page} entry {e} {what}");
            f.add(name("idtyp"), entry, Be32, 24, 8, 0);
            f.add(name("lng"), entry, Be32, 0, 24, 8);
            f.add(name("addr"), entry + 4, Be32, 0, 32, 8);
            for &(key, word, shift, bits) in XDF_KEYS {
                f.add(name(key), entry + 4 * word, Be32, shift, bits, 0);
            }
            // The record's own copy of word 0 (librmn writes the deleted flag there too).
            let rec = f.value(entry + 4, Be32).unwrap_or(0);
            if let Some(r) = usize::try_from(rec.saturating_sub(1) * 8)
                .ok()
                .filter(|&r| r > 0)
            {
                let saved = f.page.take();
                f.add(name("record copy idtyp/lng"), r, Be32, 0, 32, 8);
                f.page = saved;
            }
        }
        match f.value(p(4), Be32) {
            Some(next) if next > 0 => addr = next,
            _ => return,
        }
    }
}

fn rsf_fields(f: &mut Fields<'_>) {
    use Word::{Le32, Le64Hl};
    let mut off = 0usize;
    for seg in 0..1000 {
        if off.checked_add(72).is_none_or(|end| end > f.bytes.len()) {
            return;
        }
        if f.bytes[off] != 3 || f.bytes[off + 3] != 0xFE {
            return;
        }
        let name = |what: &str| format!("rsf segment {seg} {what}");
        f.add(name("sos rlm"), off, Le32, 8, 16, 0);
        f.add(name("sos rl"), off + 4, Le64Hl, 0, 64, 1);
        f.add(name("sos rlmd"), off + 12, Le32, 0, 16, 0);
        f.add(name("sos seg"), off + 28, Le64Hl, 0, 64, 1);
        f.add(name("sos sseg"), off + 36, Le64Hl, 0, 64, 1);
        f.add(name("sos vdir"), off + 44, Le64Hl, 0, 64, 1);
        f.add(name("sos vdirs"), off + 52, Le64Hl, 0, 64, 1);
        f.add(name("sos tail rl"), off + 60, Le64Hl, 0, 64, 1);
        let sseg = f.value(off + 36, Le64Hl).unwrap_or(0);
        let vdir = f.value(off + 44, Le64Hl).unwrap_or(0);
        let vdirs = f.value(off + 52, Le64Hl).unwrap_or(0);
        let Some(end) = usize::try_from(sseg).ok().and_then(|s| off.checked_add(s)) else {
            return;
        };
        if sseg == 0 || end > f.bytes.len() {
            return;
        }
        if let Some(eos) = end.checked_sub(68).filter(|&e| e >= off + 72) {
            f.add(name("eos lo rl"), eos + 4, Le64Hl, 0, 64, 1);
            f.add(name("eos hi seg"), eos + 24, Le64Hl, 0, 64, 1);
            f.add(name("eos hi sseg"), eos + 32, Le64Hl, 0, 64, 1);
            f.add(name("eos hi vdir"), eos + 40, Le64Hl, 0, 64, 1);
            f.add(name("eos hi vdirs"), eos + 48, Le64Hl, 0, 64, 1);
        }
        if vdir > 0 && vdirs > 0 && vdir.saturating_add(vdirs) <= sseg {
            rsf_directory(
                f,
                seg,
                off,
                off + vdir as usize,
                off + (vdir + vdirs) as usize,
            );
        }
        off = end;
    }
}

fn rsf_directory(f: &mut Fields<'_>, seg: usize, segment: usize, at: usize, end: usize) {
    use Word::{Le32, Le64Hl};
    let name = |what: &str| format!("rsf segment {seg} vdir {what}");
    f.add(name("rl"), at + 4, Le64Hl, 0, 64, 1);
    f.add(name("entries"), at + 16, Le32, 0, 32, 0);
    let n = f.value(at + 16, Le32).unwrap_or(0);
    let mut e = at + 20;
    for k in 0..n.min(1 << 16) {
        if e + 32 > end {
            return;
        }
        let name = |what: &str| format!("rsf segment {seg} entry {k} {what}");
        f.add(name("wa"), e, Le64Hl, 0, 64, 1);
        f.add(name("rl"), e + 8, Le64Hl, 0, 64, 1);
        f.add(name("entry_offset"), e + 16, Le64Hl, 0, 64, 1);
        f.add(name("rec_words"), e + 24, Le32, 0, 16, 4);
        f.add(name("dir_words"), e + 24, Le32, 16, 16, 4);
        let ml = f.value(e + 24, Le32).unwrap_or(0);
        let dir_words = if ml >> 16 != 0 { ml >> 16 } else { ml & 0xFFFF } as usize;
        for &(key, word, shift, bits) in RSF_KEYS {
            if word < dir_words {
                f.add(name(key), e + 32 + 4 * word, Le32, shift, bits, 0);
            }
        }
        let wa = f.value(e, Le64Hl).unwrap_or(u64::MAX);
        if let Some(rec) = usize::try_from(wa)
            .ok()
            .and_then(|w| segment.checked_add(w))
        {
            if rec + 16 <= f.bytes.len() && f.bytes[rec] == 1 && f.bytes[rec + 3] == 0xFE {
                let name = |what: &str| format!("rsf segment {seg} record {k} {what}");
                f.add(name("sor rlm"), rec, Le32, 8, 16, 4);
                f.add(name("sor rl"), rec + 4, Le64Hl, 0, 64, 1);
                f.add(name("sor rlmd"), rec + 12, Le32, 0, 16, 4);
                f.add(name("sor dul"), rec + 12, Le32, 24, 8, 0);
                for &(key, word, shift, bits) in RSF_KEYS {
                    if matches!(key, "ext_words" | "ni" | "nj" | "nk" | "datyp" | "nbits") {
                        f.add(name(key), rec + 16 + 4 * word, Le32, shift, bits, 0);
                    }
                }
            }
        }
        e += 32 + 4 * dir_words;
    }
}

/// Every mutant of `bytes`: each field of [`fields`] set to each of its boundary values.
pub fn mutants(bytes: &[u8]) -> impl Iterator<Item = Mutant> + '_ {
    fields(bytes).into_iter().flat_map(move |field| {
        field.boundary_values(bytes).into_iter().map(move |v| {
            let mut copy = bytes.to_vec();
            field.set(&mut copy, v);
            Mutant {
                label: format!("{} = {v:#x}", field.name),
                bytes: copy,
            }
        })
    })
}

/// The `choice`-th mutant of `bytes` in [`mutants`] order, cycling (for fuzzer input).
pub fn nth_mutant(bytes: &[u8], choice: usize) -> Option<Mutant> {
    let choices: Vec<(Field, u64)> = fields(bytes)
        .into_iter()
        .flat_map(|f| {
            f.boundary_values(bytes)
                .into_iter()
                .map(move |v| (f.clone(), v))
        })
        .collect();
    let (field, v) = choices.get(choice.checked_rem(choices.len())?)?;
    let mut copy = bytes.to_vec();
    field.set(&mut copy, *v);
    Some(Mutant {
        label: format!("{} = {v:#x}", field.name),
        bytes: copy,
    })
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The mutants of the file `name` (its bytes): all of them with `per_file = None`, else a
/// deterministic sample of about `per_file` (seeded by the name, so each file gets its own
/// choice and a run reproduces). Labels start with `name`.
pub fn sampled_mutants(name: &str, bytes: &[u8], per_file: Option<usize>) -> Vec<Mutant> {
    let fields = fields(bytes);
    let seed = name.bytes().fold(7u64, |h, b| splitmix(h ^ u64::from(b)));
    let pairs: Vec<(usize, u64)> = fields
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.boundary_values(bytes).into_iter().map(move |v| (i, v)))
        .collect();
    let total = pairs.len() as u64;
    let keep = |k: usize| match per_file {
        None => true,
        Some(n) => total <= n as u64 || splitmix(seed ^ k as u64) % total < n as u64,
    };
    pairs
        .iter()
        .enumerate()
        .filter(|&(k, _)| keep(k))
        .map(|(_, &(i, v))| {
            let mut copy = bytes.to_vec();
            fields[i].set(&mut copy, v);
            Mutant {
                label: format!("{name}: {} = {v:#x}", fields[i].name),
                bytes: copy,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_then_get_round_trips_in_every_word_layout() {
        let mut bytes = vec![0u8; 16];
        for word in [Word::Be32, Word::Le32, Word::Le64Hl] {
            let field = Field {
                name: "f".into(),
                byte: 4,
                word,
                shift: 4,
                bits: 20,
                unit: 0,
                checksummed_page: None,
            };
            field.set(&mut bytes, 0xABCDE);
            assert_eq!(field.get(&bytes), 0xABCDE);
            field.set(&mut bytes, u64::MAX);
            assert_eq!(field.get(&bytes), 0xF_FFFF);
        }
    }

    #[test]
    fn boundary_values_skip_duplicates_and_the_current_value() {
        let field = Field {
            name: "f".into(),
            byte: 0,
            word: Word::Be32,
            shift: 0,
            bits: 32,
            unit: 8,
            checksummed_page: None,
        };
        let bytes = vec![0u8; 80];
        let v = field.boundary_values(&bytes);
        assert_eq!(v, vec![1, 0xFFFF_FFFF, 1 << 31, 9, 10, 11]);
    }
}
