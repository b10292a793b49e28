//! Whole-file write locks of the kind librmn takes on RSF files (`RSF_File_lock`):
//! fcntl *open-file-description* locks (`F_OFD_SETLK[W]`, `F_WRLCK`, whole file).
//!
//! OFD locks belong to one open file description, so two `std::fs::File`s opened
//! separately (two threads or two processes) exclude each other, and they interoperate
//! with librmn's own RSF writers. They are released when the description is closed.

use std::fs::File;

use crate::error::Result;

/// Takes (`wait`: blocks until it can) or tries the whole-file write lock on `file`.
/// Returns `Ok(false)` when `wait` is false and another description holds it.
///
/// # Errors
/// I/O errors other than "already locked".
#[cfg(target_os = "linux")]
pub(crate) fn lock(file: &File, wait: bool) -> Result<bool> {
    set(file, libc::F_WRLCK as libc::c_short, wait)
}

/// Releases the lock taken by [`lock`].
///
/// # Errors
/// I/O errors from fcntl.
#[cfg(target_os = "linux")]
pub(crate) fn unlock(file: &File) -> Result<()> {
    set(file, libc::F_UNLCK as libc::c_short, false).map(|_| ())
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn set(file: &File, kind: libc::c_short, wait: bool) -> Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: `flock` is a plain C struct for which all-zero is a valid value (start 0,
    // len 0 = whole file, pid 0 as OFD locks require); the fd is owned by `file` and
    // stays open for the duration of the call; fcntl only reads the struct.
    let rc = unsafe {
        let mut fl: libc::flock = std::mem::zeroed();
        fl.l_type = kind;
        fl.l_whence = libc::SEEK_SET as libc::c_short;
        let cmd = if wait {
            libc::F_OFD_SETLKW
        } else {
            libc::F_OFD_SETLK
        };
        libc::fcntl(file.as_raw_fd(), cmd, &fl as *const libc::flock)
    };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EAGAIN) | Some(libc::EACCES) if !wait => Ok(false),
        _ => Err(err.into()),
    }
}

/// Without OFD locks (non-Linux targets) writers cannot exclude each other.
#[cfg(not(target_os = "linux"))]
pub(crate) fn lock(_file: &File, _wait: bool) -> Result<bool> {
    Err(crate::Unsupported::Other("file locking for writers needs Linux OFD locks").into())
}

/// See the Linux version.
#[cfg(not(target_os = "linux"))]
pub(crate) fn unlock(_file: &File) -> Result<()> {
    Ok(())
}
