//! The two storage backends, named here so every module can use them without depending
//! on the container readers (`Backend::detect` and `FromStr` live in `container`).

use std::fmt;

/// Storage backend of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// Classic fstd98 XDF container (big-endian words, 8-byte addresses).
    Xdf,
    /// librmn 20 "Random Segmented File" container (little-endian).
    Rsf,
}

impl Backend {
    /// `"xdf"` or `"rsf"`: the one spelling every binding shows (`Display` writes it).
    pub fn name(self) -> &'static str {
        match self {
            Backend::Xdf => "xdf",
            Backend::Rsf => "rsf",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
