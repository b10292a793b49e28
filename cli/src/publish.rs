//! Output safety for every command that writes (`cp`, `convert`).
//!
//! An output is written to a hidden sibling (`.NAME.fst24-tmp-PID-N`, same directory) and
//! renamed into place only once complete, so a failing input, a full disk, `ulimit -f` or
//! a kill leaves the previous output as it was (and at most a temporary that the next
//! writer of that name removes once the process is gone). Through a symbolic link the
//! file it points to is replaced and the link kept; a dangling link is refused.
//! `--force` replaces only an output of the same kind: a regular file by a file, a zarr
//! store (a directory with `.zgroup`, `.zarray` or `.zmetadata`) by a store; never an
//! input (same device and inode, also through links), never a directory that holds an
//! input or the working directory, never any other directory.

use std::path::{Path, PathBuf};

use fst24::writer::sibling;

/// What an output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A single file (FST, NetCDF).
    File,
    /// A zarr directory store.
    Zarr,
}

/// An output being written: the caller writes [`Output::temp`], then [`Output::publish`]es
/// it; dropping it unpublished removes the temporary.
#[derive(Debug)]
pub(crate) struct Output {
    target: PathBuf,
    temp: PathBuf,
    kind: Kind,
    published: bool,
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(_m: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Whether `a` and `b` are the same file (through links; by path where inodes are unknown).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if cfg!(unix) => identity(&ma) == identity(&mb),
        _ => match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(ca), Ok(cb)) => ca == cb,
            _ => a == b,
        },
    }
}

fn is_zarr_store(dir: &Path) -> bool {
    [".zgroup", ".zarray", ".zmetadata"]
        .iter()
        .any(|k| dir.join(k).is_file())
}

/// Refuses an output that is one of the inputs (same file, also through links): for
/// outputs that are appended to rather than replaced.
pub(crate) fn check_not_input(out: &Path, inputs: &[&Path]) -> Result<(), String> {
    if inputs.iter().any(|i| same_file(i, out)) {
        return Err("is also an input".into());
    }
    Ok(())
}

impl Output {
    /// Checks that `out` may be written (`force`: replaced) by a `kind` output made from
    /// `inputs`, and reserves its temporary.
    pub(crate) fn prepare(
        out: &Path,
        kind: Kind,
        force: bool,
        inputs: &[&Path],
    ) -> Result<Output, String> {
        let target = sibling::resolve(out).map_err(|e| e.to_string())?;
        if inputs.iter().any(|i| same_file(i, &target)) {
            return Err("is also an input; not replaced".into());
        }
        if let Ok(meta) = std::fs::metadata(&target) {
            if !force {
                return Err("exists (use --force to replace it)".into());
            }
            match kind {
                Kind::File if !meta.is_file() => {
                    return Err("is not a regular file; --force replaces only a file".into())
                }
                Kind::Zarr => check_replaceable_store(&target, inputs)?,
                Kind::File => {}
            }
        }
        sibling::clean_stale_temporaries(&target);
        let temp = sibling::temp_sibling(&target);
        if kind == Kind::Zarr {
            std::fs::create_dir(&temp).map_err(|e| format!("{}: {e}", temp.display()))?;
        }
        Ok(Output {
            target,
            temp,
            kind,
            published: false,
        })
    }

    /// Where to write the output.
    pub(crate) fn temp(&self) -> &Path {
        &self.temp
    }

    /// Moves the finished output into place.
    pub(crate) fn publish(mut self) -> Result<(), String> {
        let done = match self.kind {
            Kind::File => {
                // Replace only what `prepare` allowed: an output that appeared since is kept.
                let replace = std::fs::symlink_metadata(&self.target).is_ok();
                sibling::publish(&self.temp, &self.target, replace)
            }
            Kind::Zarr => sibling::publish_dir(&self.temp, &self.target),
        };
        done.map_err(|e| e.to_string())?;
        self.published = true;
        Ok(())
    }
}

/// A directory `--force` may replace with a zarr store: a zarr store that is neither the
/// working directory (or one of its parents) nor holds an input.
fn check_replaceable_store(dir: &Path, inputs: &[&Path]) -> Result<(), String> {
    if !is_zarr_store(dir) {
        return Err("is not a zarr store; --force replaces only a zarr store".into());
    }
    let dir = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    if cwd.is_ok_and(|c| c.starts_with(&dir)) {
        return Err("holds the working directory; not replaced".into());
    }
    let holds_input = inputs
        .iter()
        .filter_map(|i| std::fs::canonicalize(i).ok())
        .any(|i| i.starts_with(&dir));
    if holds_input {
        return Err("holds an input; not replaced".into());
    }
    Ok(())
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.published {
            return;
        }
        let _ = match self.kind {
            Kind::File => std::fs::remove_file(&self.temp),
            Kind::Zarr => std::fs::remove_dir_all(&self.temp),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch directory, removed when dropped (also when the test panics).
    fn scratch(tag: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("fst24-output-{tag}-"))
            .tempdir()
            .unwrap()
    }

    #[test]
    fn refuses_inputs_directories_and_non_stores() {
        let scratch = scratch("refuse");
        let d = scratch.path();
        let input = d.join("in.fst");
        std::fs::write(&input, b"x").unwrap();
        let err = Output::prepare(&input, Kind::File, true, &[&input]).unwrap_err();
        assert!(err.contains("input"), "{err}");
        #[cfg(unix)]
        {
            let link = d.join("link.fst");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            let err = Output::prepare(&link, Kind::File, true, &[&input]).unwrap_err();
            assert!(err.contains("input"), "{err}");
            let dangling = d.join("dangling");
            std::os::unix::fs::symlink("/nonexistent/x.nc", &dangling).unwrap();
            assert!(Output::prepare(&dangling, Kind::File, true, &[]).is_err());
        }
        let plain = d.join("plain");
        std::fs::create_dir(&plain).unwrap();
        std::fs::write(plain.join("keep"), b"x").unwrap();
        assert!(Output::prepare(&plain, Kind::Zarr, true, &[]).is_err());
        assert!(Output::prepare(&plain, Kind::File, true, &[]).is_err());
        assert!(Output::prepare(Path::new("."), Kind::File, true, &[]).is_err());
        assert!(Output::prepare(Path::new("."), Kind::Zarr, true, &[]).is_err());
        assert!(plain.join("keep").exists());
    }

    #[test]
    fn unpublished_output_leaves_the_old_one() {
        let scratch = scratch("keep");
        let d = scratch.path();
        let out = d.join("out.nc");
        std::fs::write(&out, b"old").unwrap();
        {
            let o = Output::prepare(&out, Kind::File, true, &[]).unwrap();
            std::fs::write(o.temp(), b"partial").unwrap();
        }
        assert_eq!(std::fs::read(&out).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(d).unwrap().count(), 1);
        let o = Output::prepare(&out, Kind::File, true, &[]).unwrap();
        std::fs::write(o.temp(), b"new").unwrap();
        o.publish().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
    }

    #[test]
    fn zarr_store_replaced_whole() {
        let scratch = scratch("zarr");
        let d = scratch.path();
        let store = d.join("s.zarr");
        std::fs::create_dir(&store).unwrap();
        std::fs::write(store.join(".zgroup"), b"{}").unwrap();
        std::fs::write(store.join("old"), b"x").unwrap();
        let o = Output::prepare(&store, Kind::Zarr, true, &[]).unwrap();
        std::fs::write(o.temp().join(".zgroup"), b"{}").unwrap();
        o.publish().unwrap();
        assert!(store.join(".zgroup").exists() && !store.join("old").exists());
        assert_eq!(std::fs::read_dir(d).unwrap().count(), 1);
    }
}
