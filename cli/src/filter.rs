//! Record selection from the command line, in the core's selection language
//! (`fst24::select`): every key option takes the same values as an expression clause, a
//! repeated option adds alternatives, different options must all hold, `--where` takes a
//! whole expression and `--exclude` drops what its expression selects (editfst `EXCLURE`).

use fst24::select::{Key, Selection};

use crate::CliError;

/// Selection options shared by the subcommands.
#[derive(clap::Args, Debug, Default, Clone)]
pub(crate) struct Filter {
    /// Expression, e.g. 'nomvar=TT ip1=850mb etiket=G1*' (repeatable: all must hold).
    #[arg(long = "where", value_name = "EXPR")]
    expressions: Vec<String>,
    /// Drop the records this expression selects (repeatable), e.g. 'nomvar=>>,^^'.
    #[arg(long, value_name = "EXPR")]
    exclude: Vec<String>,
    /// Variable name(s): TT, TT,UU, T* (repeatable: any of).
    #[arg(long, value_name = "NAMES")]
    nomvar: Vec<String>,
    /// Type of field (repeatable).
    #[arg(long, value_name = "NAMES")]
    typvar: Vec<String>,
    /// Label: R1*, G1_7* (repeatable).
    #[arg(long, value_name = "NAMES")]
    etiket: Vec<String>,
    /// ip1: 850mb, 0.5:1.0hy, 10m, or a raw code (both encodings match).
    #[arg(long, value_name = "LEVELS")]
    ip1: Vec<String>,
    /// Same as --ip1.
    #[arg(long, value_name = "LEVELS")]
    level: Vec<String>,
    /// ip2: 6h, 0:12h or a raw code (an old-style ip2 is hours).
    #[arg(long, value_name = "VALUES")]
    ip2: Vec<String>,
    /// ip3 (raw code or value with unit).
    #[arg(long, value_name = "VALUES")]
    ip3: Vec<String>,
    /// Valid date(s): 2020-01-01T06, 2020010106, 2020-01-01..2020-01-02, a 9-digit stamp.
    #[arg(long, value_name = "DATES")]
    datev: Vec<String>,
    /// Origin date(s), as --datev.
    #[arg(long, value_name = "DATES")]
    dateo: Vec<String>,
    /// Forecast hours deet*npas/3600: 6, 0:24.
    #[arg(long, value_name = "HOURS")]
    lead: Vec<String>,
    /// Grid type letter(s).
    #[arg(long, value_name = "LETTERS")]
    grtyp: Vec<String>,
    /// ni (value or range 100:200).
    #[arg(long, value_name = "INTS")]
    ni: Vec<String>,
    /// nj.
    #[arg(long, value_name = "INTS")]
    nj: Vec<String>,
    /// nk.
    #[arg(long, value_name = "INTS")]
    nk: Vec<String>,
}

impl Filter {
    /// The selection these options describe; a usage error names the bad option.
    pub(crate) fn selection(&self) -> Result<Selection, CliError> {
        let bad =
            |what: &str, e: fst24::select::SelectError| CliError::usage(format!("{what}: {e}"));
        let mut s = Selection::any();
        for e in &self.expressions {
            s = s.and_selection(Selection::parse(e).map_err(|err| bad("--where", err))?);
        }
        let keyed = [
            (Key::Nomvar, &self.nomvar),
            (Key::Typvar, &self.typvar),
            (Key::Etiket, &self.etiket),
            (Key::Ip1, &self.ip1),
            (Key::Ip1, &self.level),
            (Key::Ip2, &self.ip2),
            (Key::Ip3, &self.ip3),
            (Key::Datev, &self.datev),
            (Key::Dateo, &self.dateo),
            (Key::Lead, &self.lead),
            (Key::Grtyp, &self.grtyp),
            (Key::Ni, &self.ni),
            (Key::Nj, &self.nj),
            (Key::Nk, &self.nk),
        ];
        for (key, values) in keyed {
            if !values.is_empty() {
                let option = format!("--{}", key.name());
                s = s
                    .and(key, &values.join(","))
                    .map_err(|err| bad(&option, err))?;
            }
        }
        for e in &self.exclude {
            s = s.exclude(Selection::parse(e).map_err(|err| bad("--exclude", err))?);
        }
        Ok(s)
    }
}
