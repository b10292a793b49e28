//! The crate's top-level modules must form a graph without cycles, so the code reads
//! top-down: shared pieces live in leaf modules that everything else uses.
//!
//! Edges come from `crate::…` paths in non-test code (test modules and `*tests.rs` files are
//! skipped); names re-exported at the crate root (`crate::Limits`) resolve to their module.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Source files of each top-level module (`src/m.rs` and everything under `src/m/`).
fn module_files() -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in fs::read_dir(src_dir()).expect("core/src is readable") {
        let path = entry.expect("directory entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if name == "lib" || name == "test_support" {
            continue;
        }
        let files = modules.entry(name).or_default();
        if path.is_dir() {
            collect_rs(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    modules
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("module folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn leading_ident(s: &str) -> &str {
    let s = s.trim_start();
    &s[..s.find(|c: char| !is_ident(c)).unwrap_or(s.len())]
}

/// Names re-exported at the crate root, mapped to the module they come from.
fn root_reexports() -> BTreeMap<String, String> {
    let lib = fs::read_to_string(src_dir().join("lib.rs")).expect("lib.rs is readable");
    let mut map = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = leading_ident(rest).to_string();
        for name in rest.split(|c: char| !is_ident(c)).filter(|n| !n.is_empty()) {
            map.insert(name.to_string(), module.clone());
        }
    }
    map
}

/// Production code of a file: everything before its first `#[cfg(test)]` module.
fn production_code(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    if name == "tests.rs" || name.ends_with("_tests.rs") {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            let next = lines.peek().map_or("", |l| l.trim_start());
            if next.starts_with("mod ") || next.starts_with("pub(crate) mod ") {
                if next.ends_with('{') {
                    break; // an inline test module runs to the end of the file
                }
                lines.next(); // `mod tests;` whose file is skipped by name
                continue;
            }
        }
        if !line.trim_start().starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
    }
    Some(code)
}

/// First path segment of every item named after `crate::` in `code`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let preceded_by_ident = rest[..at].chars().next_back().is_some_and(is_ident);
        rest = &rest[at + "crate::".len()..];
        if preceded_by_ident {
            continue; // `pub(crate)` is never followed by `::`, but `$crate::` would be
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0usize;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(leading_ident(&item).to_string());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            names.insert(leading_ident(&item).to_string());
        } else {
            names.insert(leading_ident(rest).to_string());
        }
    }
    names.remove("");
    names
}

fn module_graph() -> Graph {
    let modules = module_files();
    let reexports = root_reexports();
    let mut graph = Graph::new();
    for (module, files) in &modules {
        let deps = graph.entry(module.clone()).or_default();
        for file in files {
            let Some(code) = production_code(file) else {
                continue;
            };
            for name in crate_paths(&code) {
                let target = if modules.contains_key(&name) {
                    name
                } else if let Some(m) = reexports.get(&name) {
                    m.clone()
                } else {
                    panic!(
                        "{}: `crate::{name}` is neither a module nor a root re-export",
                        file.display()
                    );
                };
                if &target != module {
                    deps.insert(target);
                }
            }
        }
    }
    graph
}

/// One cycle through the graph, if any (depth-first search).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(pos) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[pos..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(dep, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_have_no_cycles() {
    let graph = module_graph();
    assert!(
        graph.len() > 10,
        "found only {} modules under {}",
        graph.len(),
        src_dir().display()
    );
    if let Some(cycle) = find_cycle(&graph) {
        let edges: Vec<String> = graph.iter().map(|(m, d)| format!("{m} -> {d:?}")).collect();
        panic!(
            "module cycle: {}\nfull graph:\n{}",
            cycle.join(" -> "),
            edges.join("\n")
        );
    }
}

#[test]
fn crate_path_parser_reads_groups_and_nesting() {
    let names = crate_paths(
        "use crate::{a::B, c::{d, e}, F};\nlet x = crate::g::h(); pub(crate) fn i() {}",
    );
    let expected: BTreeSet<String> = ["a", "c", "F", "g"]
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    assert_eq!(names, expected);
}

#[test]
fn cycle_finder_finds_a_three_way_cycle() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph.entry(from.into()).or_default().insert(to.into());
    }
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    graph.get_mut("c").unwrap().remove("a");
    assert_eq!(find_cycle(&graph), None);
}
