//! The public API of `fst24` (default features, no `internals`) is the list checked in as
//! `tests/public_api.txt`: this test rebuilds the list from the source and fails on any
//! difference, so every change of the API is a deliberate edit of that file.
//!
//! The list is read from the source with `syn` (rustdoc's JSON output needs a nightly
//! toolchain): every item reachable from the crate root through `pub mod` and `pub use`,
//! with its signature, public fields and variants, inherent `pub` methods and the traits it
//! implements. Modules behind the `internals` feature are listed by name only; items under
//! `#[cfg(test)]` are skipped; items produced by `macro_rules!` are not seen.
//!
//! After an intended change: `FST24_UPDATE_PUBLIC_API=1 cargo test -p fst24 --test public_api`
//! rewrites the file; review its diff like any other code.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, UseTree, Visibility};

const LISTING: &str = "tests/public_api.txt";
const UPDATE_VAR: &str = "FST24_UPDATE_PUBLIC_API";

/// One module of the crate: its items and where it is declared.
struct Module {
    items: Vec<Item>,
    /// `cfg` attributes of its declaration and its ancestors'.
    cfgs: Vec<String>,
    /// Declared behind the `internals` feature: listed by name only.
    internal: bool,
}

/// A module's declarations in its parent (one, or two with complementary `cfg`s).
#[derive(Default)]
struct Declared {
    /// Its `pub` declaration is behind the `internals` feature.
    gated: bool,
    /// `cfg`s of its `pub` declaration.
    cfgs: Vec<String>,
    /// Items of an inline module.
    content: Option<Vec<Item>>,
    count: usize,
}

/// What a name resolves to.
#[derive(Clone, PartialEq, Eq)]
enum Target {
    Module(String),
    /// An item: its module and name.
    Item(String, String),
    /// Outside the crate (std, dependencies).
    External(String),
}

struct Crate {
    modules: BTreeMap<String, Module>,
}

fn is_test_only(attrs: &[Attribute]) -> bool {
    cfgs_of(attrs).iter().any(|c| c == "cfg(test)")
}

fn cfgs_of(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .map(|a| tidy(&a.meta.to_token_stream().to_string()))
        .collect()
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Token text with the spaces `proc_macro2` puts between every token taken out where
/// Rust code has none.
fn tidy(tokens: &str) -> String {
    let mut s = tokens.to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("& ", "&"),
        (" ,", ","),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" ;", ";"),
        (" :", ":"),
        ("# [", "#["),
        ("' ", "'"),
        (" !", "!"),
        (" .", "."),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // `->` and `=>` lost their leading space to the `<`/`>` rules.
    s.replace(")->", ") ->")
        .replace(">->", "> ->")
        .replace("->(", "-> (")
        .replace(":(", ": (")
        .replace("=(", "= (")
        .replace(",(", ", (")
}

fn tokens(t: &impl ToTokens) -> String {
    tidy(&t.to_token_stream().to_string())
}

impl Crate {
    fn load(src: &Path) -> Crate {
        let mut krate = Crate {
            modules: BTreeMap::new(),
        };
        krate.load_file("crate", &src.join("lib.rs"), src, Vec::new(), false);
        krate
    }

    fn load_file(
        &mut self,
        path: &str,
        file: &Path,
        dir: &Path,
        cfgs: Vec<String>,
        internal: bool,
    ) {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let parsed = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
        self.load_items(path, parsed.items, dir, cfgs, internal);
    }

    fn load_items(
        &mut self,
        path: &str,
        items: Vec<Item>,
        dir: &Path,
        cfgs: Vec<String>,
        internal: bool,
    ) {
        let mut children: BTreeMap<String, Declared> = BTreeMap::new();
        for item in &items {
            let Item::Mod(m) = item else { continue };
            if is_test_only(&m.attrs) {
                continue;
            }
            let name = m.ident.to_string();
            let own = cfgs_of(&m.attrs);
            let gated = own.iter().any(|c| c.contains("\"internals\""));
            let entry = children.entry(name).or_default();
            entry.count += 1;
            // A module declared twice (`pub` with `internals`, private without) is one
            // module that always exists, public only with the feature.
            if is_pub(&m.vis) {
                entry.gated |= gated;
                entry.cfgs = own;
            }
            if let Some((_, content)) = &m.content {
                entry.content = Some(content.clone());
            }
        }
        for (name, declared) in children {
            let Declared {
                gated,
                cfgs: own,
                content,
                count,
            } = declared;
            let child = format!("{path}::{name}");
            let mut child_cfgs = cfgs.clone();
            if count == 1 {
                child_cfgs.extend(own);
            }
            let child_dir = dir.join(&name);
            match content {
                Some(items) => {
                    self.load_items(&child, items, &child_dir, child_cfgs, internal || gated);
                }
                None => {
                    let flat = dir.join(format!("{name}.rs"));
                    let file = if flat.exists() {
                        flat
                    } else {
                        child_dir.join("mod.rs")
                    };
                    self.load_file(&child, &file, &child_dir, child_cfgs, internal || gated);
                }
            }
        }
        self.modules.insert(
            path.to_string(),
            Module {
                items,
                cfgs,
                internal,
            },
        );
    }

    /// What `name` means inside `module` (its own items first, then its `use`s).
    fn resolve(&self, module: &str, name: &str, depth: usize) -> Option<Target> {
        assert!(depth < 32, "use cycle resolving {module}::{name}");
        let m = self.modules.get(module)?;
        for item in &m.items {
            if item_attrs(item).is_some_and(is_test_only) {
                continue;
            }
            match item {
                Item::Mod(x) if x.ident == name => {
                    return Some(Target::Module(format!("{module}::{name}")))
                }
                _ if item_name(item).as_deref() == Some(name) => {
                    return Some(Target::Item(module.to_string(), name.to_string()))
                }
                _ => {}
            }
        }
        for item in &m.items {
            let Item::Use(u) = item else { continue };
            if is_test_only(&u.attrs) {
                continue;
            }
            for (alias, segments) in use_leaves(&u.tree) {
                if alias == name {
                    return Some(self.resolve_path(module, &segments, depth + 1));
                }
            }
        }
        None
    }

    fn resolve_path(&self, from: &str, segments: &[String], depth: usize) -> Target {
        let mut current = match segments[0].as_str() {
            "crate" => Target::Module("crate".into()),
            "self" => Target::Module(from.into()),
            "super" => Target::Module(parent(from)),
            first => match self.resolve(from, first, depth) {
                Some(t) => t,
                None => return Target::External(segments.join("::")),
            },
        };
        for seg in &segments[1..] {
            current = match (&current, seg.as_str()) {
                (Target::Module(m), "super") => Target::Module(parent(m)),
                (Target::Module(m), _) => match self.resolve(m, seg, depth) {
                    Some(t) => t,
                    None => panic!("cannot resolve {seg} in {m} (path {})", segments.join("::")),
                },
                // A path into an enum or an external crate: keep it as text.
                (Target::Item(m, n), _) => Target::External(format!("{m}::{n}::{seg}")),
                (Target::External(p), _) => Target::External(format!("{p}::{seg}")),
            };
        }
        current
    }

    fn item(&self, module: &str, name: &str) -> &Item {
        self.modules[module]
            .items
            .iter()
            .find(|i| {
                item_name(i).as_deref() == Some(name) && !item_attrs(i).is_some_and(is_test_only)
            })
            .expect("resolved item")
    }

    /// Every `impl` block of the crate, by the item it is for.
    fn impls(&self) -> BTreeMap<(String, String), Vec<(String, syn::ItemImpl)>> {
        let mut out: BTreeMap<_, Vec<_>> = BTreeMap::new();
        for (path, m) in &self.modules {
            for item in &m.items {
                let Item::Impl(imp) = item else { continue };
                if is_test_only(&imp.attrs) {
                    continue;
                }
                let syn::Type::Path(tp) = &*imp.self_ty else {
                    continue;
                };
                let segments: Vec<String> = tp
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if let Target::Item(module, name) = self.resolve_path(path, &segments, 0) {
                    out.entry((module, name))
                        .or_default()
                        .push((path.clone(), imp.clone()));
                }
            }
        }
        out
    }
}

fn parent(module: &str) -> String {
    module
        .rsplit_once("::")
        .map_or("crate", |(p, _)| p)
        .to_string()
}

/// Attributes, visibility (none for `impl`) and name (none for `mod`, `use` and `impl`,
/// which are handled apart) of the items the lister reads.
fn parts(item: &Item) -> Option<(&[Attribute], Option<&Visibility>, Option<&syn::Ident>)> {
    Some(match item {
        Item::Const(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Enum(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Fn(x) => (&x.attrs, Some(&x.vis), Some(&x.sig.ident)),
        Item::Static(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Struct(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Trait(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Type(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Union(x) => (&x.attrs, Some(&x.vis), Some(&x.ident)),
        Item::Mod(x) => (&x.attrs, Some(&x.vis), None),
        Item::Use(x) => (&x.attrs, Some(&x.vis), None),
        Item::Impl(x) => (&x.attrs, None, None),
        _ => return None,
    })
}

fn item_attrs(item: &Item) -> Option<&[Attribute]> {
    parts(item).map(|(attrs, _, _)| attrs)
}

fn item_name(item: &Item) -> Option<String> {
    parts(item)
        .and_then(|(_, _, name)| name)
        .map(ToString::to_string)
}

fn item_vis(item: &Item) -> Option<&Visibility> {
    parts(item).and_then(|(_, vis, _)| vis)
}

/// `(name it binds, path it names)` for every leaf of a use tree.
fn use_leaves(tree: &UseTree) -> Vec<(String, Vec<String>)> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            UseTree::Name(n) if n.ident == "self" => {
                out.push((prefix.last().cloned().unwrap_or_default(), prefix.clone()));
            }
            UseTree::Name(n) => {
                let mut path = prefix.clone();
                path.push(n.ident.to_string());
                out.push((n.ident.to_string(), path));
            }
            UseTree::Rename(r) => {
                let mut path = prefix.clone();
                path.push(r.ident.to_string());
                if r.ident == "self" {
                    path.pop();
                }
                out.push((r.rename.to_string(), path));
            }
            UseTree::Glob(_) => panic!("glob re-export after {prefix:?}: list its items instead"),
            UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
        }
    }
    let mut out = Vec::new();
    walk(tree, &mut Vec::new(), &mut out);
    out
}

/// Derives and `#[non_exhaustive]`: part of what a type promises.
fn type_marks(attrs: &[Attribute]) -> String {
    let mut marks = Vec::new();
    for a in attrs {
        if a.path().is_ident("derive")
            || a.path().is_ident("non_exhaustive")
            || a.path().is_ident("repr")
        {
            marks.push(format!("#[{}]", tokens(&a.meta)));
        }
    }
    marks.join(" ")
}

struct Lister<'a> {
    krate: &'a Crate,
    impls: BTreeMap<(String, String), Vec<(String, syn::ItemImpl)>>,
    lines: BTreeSet<String>,
}

impl Lister<'_> {
    fn push(&mut self, path: &str, what: String, cfgs: &[String]) {
        let mut line = format!("{path} {what}");
        for c in cfgs {
            line.push_str(&format!("  #[{c}]"));
        }
        self.lines.insert(line.trim_end().to_string());
    }

    fn module(&mut self, public: &str, module: &str) {
        let m = &self.krate.modules[module];
        if m.internal {
            self.push(
                public,
                "mod (public only with the internals feature: not listed)".into(),
                &[],
            );
            return;
        }
        self.push(public, "mod".into(), &m.cfgs);
        for item in &m.items {
            if item_attrs(item).is_some_and(is_test_only) || !item_vis(item).is_some_and(is_pub) {
                continue;
            }
            match item {
                Item::Use(u) => {
                    for (alias, segments) in use_leaves(&u.tree) {
                        let target = self.krate.resolve_path(module, &segments, 0);
                        self.target(&format!("{public}::{alias}"), &target, &cfgs_of(&u.attrs));
                    }
                }
                Item::Mod(x) => {
                    let target = Target::Module(format!("{module}::{}", x.ident));
                    self.target(&format!("{public}::{}", x.ident), &target, &[]);
                }
                _ => {
                    let name = item_name(item).expect("named item");
                    let target = Target::Item(module.to_string(), name.clone());
                    self.target(&format!("{public}::{name}"), &target, &[]);
                }
            }
        }
    }

    fn target(&mut self, public: &str, target: &Target, extra_cfgs: &[String]) {
        match target {
            Target::Module(m) => self.module(public, m),
            Target::External(p) => self.push(public, format!("= {p}"), extra_cfgs),
            Target::Item(module, name) => {
                let mut cfgs = self.krate.modules[module].cfgs.clone();
                cfgs.extend_from_slice(extra_cfgs);
                let item = self.krate.item(module, name).clone();
                cfgs.extend(item_attrs(&item).map(cfgs_of).unwrap_or_default());
                self.item(public, &item, &cfgs);
                for (_, imp) in self
                    .impls
                    .get(&(module.clone(), name.clone()))
                    .cloned()
                    .unwrap_or_default()
                {
                    self.impl_block(public, &imp, &cfgs);
                }
            }
        }
    }

    fn item(&mut self, public: &str, item: &Item, cfgs: &[String]) {
        match item {
            Item::Fn(f) => {
                // Under the name it is exported as (`pub use a::f as g`).
                let mut sig = f.sig.clone();
                sig.ident = syn::Ident::new(public.rsplit("::").next().unwrap(), sig.ident.span());
                self.push(public, tokens(&sig), cfgs);
            }
            Item::Const(c) => self.push(public, format!("const: {}", tokens(&c.ty)), cfgs),
            Item::Static(s) => self.push(public, format!("static: {}", tokens(&s.ty)), cfgs),
            Item::Type(t) => self.push(
                public,
                format!("type{} = {}", tokens(&t.generics), tokens(&t.ty)),
                cfgs,
            ),
            Item::Struct(s) => {
                let what = format!("struct{} {}", tokens(&s.generics), type_marks(&s.attrs));
                self.push(public, what, cfgs);
                self.fields(public, &s.fields, false, cfgs);
            }
            Item::Enum(e) => {
                let what = format!("enum{} {}", tokens(&e.generics), type_marks(&e.attrs));
                self.push(public, what, cfgs);
                for v in &e.variants {
                    let path = format!("{public}::{}", v.ident);
                    let what = format!("variant {}", type_marks(&v.attrs));
                    self.push(&path, what, cfgs);
                    self.fields(&path, &v.fields, true, cfgs);
                }
            }
            Item::Trait(t) => {
                self.push(
                    public,
                    format!("trait{}: {}", tokens(&t.generics), tokens(&t.supertraits)),
                    cfgs,
                );
                for ti in &t.items {
                    match ti {
                        TraitItem::Fn(f) => {
                            self.push(&format!("{public}::{}", f.sig.ident), tokens(&f.sig), cfgs);
                        }
                        TraitItem::Const(c) => self.push(
                            &format!("{public}::{}", c.ident),
                            format!("const: {}", tokens(&c.ty)),
                            cfgs,
                        ),
                        TraitItem::Type(t) => {
                            self.push(&format!("{public}::{}", t.ident), "type".into(), cfgs);
                        }
                        _ => {}
                    }
                }
            }
            other => panic!("unexpected public item at {public}: {}", tokens(other)),
        }
    }

    /// Public fields; `all` for enum variants, whose fields are as public as the enum.
    fn fields(&mut self, path: &str, fields: &Fields, all: bool, cfgs: &[String]) {
        for (i, f) in fields.iter().enumerate() {
            if !all && !is_pub(&f.vis) {
                continue;
            }
            let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
            self.push(
                &format!("{path}.{name}"),
                format!("field: {}", tokens(&f.ty)),
                cfgs,
            );
        }
    }

    fn impl_block(&mut self, public: &str, imp: &syn::ItemImpl, cfgs: &[String]) {
        let mut cfgs = cfgs.to_vec();
        cfgs.extend(cfgs_of(&imp.attrs));
        if let Some((bang, trait_path, _)) = &imp.trait_ {
            let neg = if bang.is_some() { "!" } else { "" };
            self.push(
                public,
                format!("impl{} {neg}{}", tokens(&imp.generics), tokens(trait_path)),
                &cfgs,
            );
            return;
        }
        for ii in &imp.items {
            match ii {
                ImplItem::Fn(f) if is_pub(&f.vis) && !is_test_only(&f.attrs) => {
                    let mut c = cfgs.clone();
                    c.extend(cfgs_of(&f.attrs));
                    self.push(&format!("{public}::{}", f.sig.ident), tokens(&f.sig), &c);
                }
                ImplItem::Const(k) if is_pub(&k.vis) => {
                    self.push(
                        &format!("{public}::{}", k.ident),
                        format!("const: {}", tokens(&k.ty)),
                        &cfgs,
                    );
                }
                _ => {}
            }
        }
    }
}

fn listing(src: &Path) -> String {
    let krate = Crate::load(src);
    let mut lister = Lister {
        impls: krate.impls(),
        krate: &krate,
        lines: BTreeSet::new(),
    };
    lister.module("fst24", "crate");
    let mut out = String::new();
    for line in &lister.lines {
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn public_api_is_the_checked_in_listing() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let now = listing(&root.join("src"));
    let path = root.join(LISTING);
    if std::env::var_os(UPDATE_VAR).is_some() {
        std::fs::write(&path, &now).expect("write the listing");
        return;
    }
    let before = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (run with {UPDATE_VAR}=1 to create it)",
            path.display()
        )
    });
    if before == now {
        return;
    }
    let old: BTreeSet<&str> = before.lines().collect();
    let new: BTreeSet<&str> = now.lines().collect();
    let mut report = String::new();
    for gone in old.difference(&new) {
        report.push_str(&format!("- {gone}\n"));
    }
    for added in new.difference(&old) {
        report.push_str(&format!("+ {added}\n"));
    }
    panic!(
        "the public API of fst24 changed ({} lines now, {} in {LISTING}):\n{report}\
         if the change is intended, run `{UPDATE_VAR}=1 cargo test -p fst24 --test public_api` \
         and commit the new listing",
        new.len(),
        old.len()
    );
}

/// The lister itself: paths through `pub use` and renames, fields, variants, methods, trait
/// impls, cfg marks, and what stays out (private items, test code, internals).
#[test]
fn lister_follows_reexports_and_skips_private_items() {
    let dir = common::scratch_dir("public-api");
    std::fs::create_dir_all(dir.join("inner")).unwrap();
    std::fs::write(
        dir.join("lib.rs"),
        "pub mod shown; mod inner; #[cfg(feature = \"internals\")] pub mod wire;\n\
         #[cfg(not(feature = \"internals\"))] mod wire;\n\
         pub use inner::{Thing as Renamed, helper};\n\
         #[cfg(test)] pub fn only_in_tests() {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("inner.rs"),
        "mod deep; pub use deep::Thing; pub fn helper(x: &[u8]) -> Option<u32> { None }\n\
         pub(crate) fn hidden() {}\n\
         impl Thing { pub fn new() -> Self { Thing { a: 1, b: 2 } } fn private() {} }\n\
         impl std::fmt::Display for Thing { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("inner/deep.rs"),
        "#[derive(Debug)] pub struct Thing { pub a: u8, b: u8 }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("shown.rs"),
        "#[non_exhaustive] pub enum Kind { A, B(u32), C { x: i8 } }\n#[cfg(feature = \"mmap\")] pub const N: usize = 3;\n",
    )
    .unwrap();
    std::fs::write(dir.join("wire.rs"), "pub struct Raw;\n").unwrap();
    let got = listing(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let expected = "\
fst24 mod
fst24::Renamed impl std::fmt::Display
fst24::Renamed struct #[derive(Debug)]
fst24::Renamed.a field: u8
fst24::Renamed::new fn new() -> Self
fst24::helper fn helper(x: &[u8]) -> Option<u32>
fst24::shown mod
fst24::shown::Kind enum #[non_exhaustive]
fst24::shown::Kind::A variant
fst24::shown::Kind::B variant
fst24::shown::Kind::B.0 field: u32
fst24::shown::Kind::C variant
fst24::shown::Kind::C.x field: i8
fst24::shown::N const: usize  #[cfg(feature = \"mmap\")]
fst24::wire mod (public only with the internals feature: not listed)
";
    assert_eq!(got, expected, "got:\n{got}");
}
