//! Record selection from the command line, fstinl-style: omitted keys match anything,
//! repeated keys match any of their values, `*` ends a name prefix.

use fst24::RecordHeader;

/// Selection options shared by the subcommands.
#[derive(clap::Args, Debug, Default)]
pub(crate) struct Filter {
    /// Variable name (repeatable; `T*` matches a prefix).
    #[arg(long)]
    nomvar: Vec<String>,
    /// Type of field (repeatable).
    #[arg(long)]
    typvar: Vec<String>,
    /// Label (repeatable; `R1*` matches a prefix).
    #[arg(long)]
    etiket: Vec<String>,
    /// Encoded ip1 (repeatable).
    #[arg(long)]
    ip1: Vec<i32>,
    /// Encoded ip2 (repeatable).
    #[arg(long)]
    ip2: Vec<i32>,
    /// Encoded ip3 (repeatable).
    #[arg(long)]
    ip3: Vec<i32>,
}

fn name_matches(patterns: &[String], value: &str) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| {
            let p = p.trim().to_ascii_uppercase();
            match p.strip_suffix('*') {
                Some(prefix) => value.starts_with(prefix),
                None => value == p,
            }
        })
}

fn int_matches(values: &[i32], value: i32) -> bool {
    values.is_empty() || values.contains(&value)
}

impl Filter {
    /// True when the record passes every given criterion.
    pub(crate) fn matches(&self, h: &RecordHeader) -> bool {
        name_matches(&self.nomvar, h.nomvar.trimmed())
            && name_matches(&self.typvar, h.typvar.trimmed())
            && name_matches(&self.etiket, h.etiket.trimmed())
            && int_matches(&self.ip1, h.ip1)
            && int_matches(&self.ip2, h.ip2)
            && int_matches(&self.ip3, h.ip3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_and_lists() {
        assert!(name_matches(&[], "TT"));
        assert!(name_matches(&["tt".into()], "TT"));
        assert!(name_matches(&["UU".into(), "T*".into()], "TT"));
        assert!(!name_matches(&["T".into()], "TT"));
        assert!(int_matches(&[1, 2], 2));
        assert!(!int_matches(&[1], 2));
    }
}
