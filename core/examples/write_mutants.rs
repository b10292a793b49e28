//! Writes structure-aware mutants of the reference corpus (`fst24::fuzzing::mutate`) to a
//! directory, for the binding tests (Python, Node, WASM) that run them through their own
//! read paths: `NNNNN.fst` files plus `index.tsv` (file name, label).
//!
//! `cargo run -p fst24 --example write_mutants -- OUT_DIR CORPUS_DIR [PER_FILE|all]`

use std::io::Write;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, corpus, rest @ ..] = &args[..] else {
        eprintln!("usage: write_mutants OUT_DIR CORPUS_DIR [PER_FILE|all]");
        std::process::exit(2);
    };
    let per_file = match rest.first().map(String::as_str) {
        Some("all") => None,
        Some(n) => Some(n.parse().expect("PER_FILE is a number")),
        None => Some(6),
    };
    let out = Path::new(out);
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).expect("create OUT_DIR");
    let files = fst24::fuzzing::corpus_files(Path::new(corpus));
    let mut index = std::fs::File::create(out.join("index.tsv")).expect("index.tsv");
    let mut n = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).expect("corpus file");
        for m in fst24::fuzzing::mutate::sampled_mutants(&name, &bytes, per_file) {
            let file = format!("{n:05}.fst");
            std::fs::write(out.join(&file), &m.bytes).expect("write mutant");
            writeln!(index, "{file}\t{}", m.label).expect("index.tsv");
            n += 1;
        }
    }
    eprintln!("wrote {n} mutants to {}", out.display());
}
