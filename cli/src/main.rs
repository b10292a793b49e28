//! `fst24`: command-line tool over the fst24 core.

fn main() {
    std::process::exit(0);
}
