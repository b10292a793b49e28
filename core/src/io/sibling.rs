//! Temporary siblings of an output and how they are published.
//!
//! Every writer that must not show a half-written file works on a hidden sibling named
//! `.NAME.fst24-tmp-PID-N` (same directory, so the final rename is atomic) and publishes it
//! by renaming it over the target, or, for a new file that must not replace anything, by
//! hard-linking it there (which fails when the name exists). A process killed before that
//! leaves its temporary behind; the next writer of the same name removes the temporaries
//! whose process is dead ([`clean_stale_temporaries`]).

use std::path::{Path, PathBuf};

use crate::error::{Result, UsageError};

const TAG: &str = ".fst24-tmp-";

/// The prefix `.NAME.fst24-tmp-` of every temporary sibling of `path`.
fn prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}{TAG}")
}

/// A fresh temporary sibling name for `path` (not created).
pub fn temp_sibling(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!("{}{}-{n}", prefix(path), std::process::id()))
}

/// The directory holding `path` (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The owning process id of temporary sibling `name` of `path`, if it is one (also a
/// writer's temporary of such a temporary: `..NAME.fst24-tmp-P-N.fst24-tmp-P-M`).
fn owner(path: &Path, name: &str) -> Option<u32> {
    let prefix = prefix(path);
    let rest = name
        .strip_prefix(&prefix)
        .or_else(|| name.strip_prefix('.')?.strip_prefix(&prefix))?;
    let (pid, tail) = rest.split_once('-')?;
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    let after = &tail[digits..];
    if digits == 0 || !(after.is_empty() || after.starts_with(TAG)) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is alive (unknown counts as alive: nothing is removed then).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        if pid == std::process::id() {
            return true;
        }
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        #[allow(unsafe_code)]
        // SAFETY: kill with signal 0 only checks that the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Temporary siblings of `path` left by processes that are gone, and those of live ones.
fn siblings(path: &Path) -> Vec<(PathBuf, u32)> {
    let Ok(entries) = std::fs::read_dir(parent(path)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let pid = owner(path, &name)?;
            Some((e.path(), pid))
        })
        .collect()
}

/// Removes the temporaries of `path` whose writing process is dead (killed writers'
/// leftovers, `.NAME.fst24-tmp-PID-N`), returning what was removed. A temporary of a
/// live process is left alone; so is everything when liveness cannot be checked
/// (non-Unix). Processes are checked on this host only: a file system shared with
/// other hosts should not hold their writers' temporaries.
pub fn clean_stale_temporaries(path: &Path) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for (tmp, pid) in siblings(path) {
        if alive(pid) {
            continue;
        }
        let gone = if tmp.is_dir() {
            std::fs::remove_dir_all(&tmp)
        } else {
            std::fs::remove_file(&tmp)
        };
        if gone.is_ok() {
            removed.push(tmp);
        }
    }
    removed
}

/// Refuses to go on when another live writer (another process, or another writer of
/// this one) is creating `path` too, i.e. holds a temporary sibling other than `own`.
/// Called after `own` exists, so of two racing creators at least one is refused.
pub(crate) fn claim(path: &Path, own: &Path) -> Result<()> {
    for (tmp, pid) in siblings(path) {
        if tmp.file_name() != own.file_name() && alive(pid) {
            return Err(UsageError::InvalidArgument(format!(
                "{} is being written by another writer (process {pid}); not created",
                path.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// An error saying `path` exists (Python maps it to `FileExistsError`).
pub fn exists_error(path: &Path) -> crate::Error {
    std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} exists; a new file never replaces one (append to it, or remove it first)",
            path.display()
        ),
    )
    .into()
}

/// Whether `path` holds a file with content (an empty file counts as absent: librmn and
/// our writers treat it as a new file).
pub fn has_content(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.len() > 0)
        .unwrap_or(false)
}

/// Publishes `tmp` at `path` (both files): replacing what is there (`replace`), or only if nothing
/// with content is there (a hard link cannot replace a name; where links are not
/// supported the check and the rename are two steps).
pub fn publish(tmp: &Path, path: &Path, replace: bool) -> Result<()> {
    if !replace {
        match std::fs::hard_link(tmp, path) {
            Ok(()) => {
                std::fs::remove_file(tmp)?;
                sync_dir(path);
                return Ok(());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if has_content(path) {
                    return Err(exists_error(path));
                }
            }
            Err(_) => {
                if has_content(path) {
                    return Err(exists_error(path));
                }
            }
        }
    }
    std::fs::rename(tmp, path)?;
    sync_dir(path);
    Ok(())
}

/// Publishes directory `tmp` at `path`, replacing the directory there if any (the caller
/// checked it may be replaced). Linux swaps the two atomically (`RENAME_EXCHANGE`), so
/// a reader or a crash sees the old or the new directory, then removes the old one
/// (a crash before that leaves it as a stale temporary). Elsewhere the old directory is
/// first moved aside to `.NAME.fst24-old-PID-N`, which is left for the user if a crash
/// comes between the two renames.
pub fn publish_dir(tmp: &Path, path: &Path) -> Result<()> {
    sync_tree(tmp)?;
    if std::fs::symlink_metadata(path).is_err() {
        std::fs::rename(tmp, path)?;
        sync_dir(path);
        return Ok(());
    }
    if exchange(tmp, path)? {
        sync_dir(path);
        std::fs::remove_dir_all(tmp)?;
        return Ok(());
    }
    let aside = temp_sibling(path);
    let aside = aside.with_file_name(
        aside
            .file_name()
            .map(|n| n.to_string_lossy().replace(TAG, ".fst24-old-"))
            .unwrap_or_default(),
    );
    std::fs::rename(path, &aside)?;
    if let Err(e) = std::fs::rename(tmp, path) {
        let _ = std::fs::rename(&aside, path);
        return Err(e.into());
    }
    sync_dir(path);
    std::fs::remove_dir_all(&aside)?;
    Ok(())
}

/// Flushes every file under `dir` to disk (and the directories, where possible), so the
/// tree is complete before a rename makes it visible.
fn sync_tree(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            sync_tree(&entry.path())?;
        } else if kind.is_file() {
            std::fs::File::open(entry.path())?.sync_all()?;
        }
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Swaps `a` and `b` atomically; `Ok(false)` where the platform or file system cannot.
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let (Ok(ca), Ok(cb)) = (
            CString::new(a.as_os_str().as_bytes()),
            CString::new(b.as_os_str().as_bytes()),
        ) else {
            return Ok(false);
        };
        #[allow(unsafe_code)]
        // SAFETY: both strings are NUL-terminated and live across the call.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(true);
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::ENOTSUP) => Ok(false),
            _ => Err(err.into()),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// Makes writing past the file-size limit (`ulimit -f`) fail with `EFBIG` instead of
/// killing the process with `SIGXFSZ`, so a command-line writer can clean up its
/// temporary and report the error. For programs (the CLI), not libraries: it changes the
/// process's signal disposition.
pub fn ignore_file_size_signal() {
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: setting a signal's disposition to SIG_IGN installs no handler code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Best effort: makes a rename in `path`'s directory durable.
pub fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(parent(path)) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The file a writer of `path` works on: `path` itself, or the file a symbolic link
/// points to (appending through a link keeps the link). A dangling link is refused
/// rather than followed to create a file elsewhere.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|_| {
            UsageError::InvalidArgument(format!(
                "{} is a dangling symbolic link; not followed",
                path.display()
            ))
            .into()
        }),
        _ => Ok(path.to_path_buf()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_owners() {
        let p = Path::new("/d/out.fst");
        let t = temp_sibling(p);
        let name = t.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".out.fst.fst24-tmp-"));
        assert_eq!(owner(p, name), Some(std::process::id()));
        assert_eq!(owner(p, ".out.fst.fst24-tmp-12"), None);
        assert_eq!(owner(p, ".other.fst24-tmp-12-0"), None);
        assert_eq!(
            owner(p, "..out.fst.fst24-tmp-12-0.fst24-tmp-12-1"),
            Some(12)
        );
        assert_eq!(owner(p, ".out.fst.fst24-tmp-12-0x"), None);
    }

    #[cfg(unix)]
    #[test]
    fn stale_temporaries_of_dead_processes_go_live_ones_stay() {
        let scratch = crate::test_support::temp_dir("stale");
        let dir = scratch.path();
        let path = dir.join("a.fst");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.join(format!(".a.fst.fst24-tmp-{dead}-0"));
        let live = temp_sibling(&path);
        std::fs::write(&stale, b"x").unwrap();
        std::fs::write(&live, b"x").unwrap();
        assert_eq!(clean_stale_temporaries(&path), vec![stale.clone()]);
        assert!(!stale.exists() && live.exists());
        assert!(claim(&path, &live).is_ok());
        let other = temp_sibling(&path);
        std::fs::write(&other, b"x").unwrap();
        assert!(claim(&path, &live).is_err());
    }

    #[test]
    fn publish_new_never_replaces() {
        let scratch = crate::test_support::temp_dir("publish");
        let dir = scratch.path();
        let path = dir.join("a");
        let t1 = temp_sibling(&path);
        std::fs::write(&t1, b"one").unwrap();
        publish(&t1, &path, false).unwrap();
        let t2 = temp_sibling(&path);
        std::fs::write(&t2, b"two").unwrap();
        assert!(publish(&t2, &path, false).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        publish(&t2, &path, true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
    }
}
