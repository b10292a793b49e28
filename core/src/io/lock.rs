//! Whole-file write locks for writers.
//!
//! librmn's RSF writers take a whole-file `F_WRLCK` with `fcntl(F_SETLK)` (`RSF_File_lock`,
//! retried until granted). On Linux we take the same lock as an *open-file-description*
//! lock (`F_OFD_SETLK[W]`): the kernel makes OFD and classic record locks conflict, so we
//! interoperate with librmn, and unlike classic locks two `std::fs::File`s opened
//! separately in one process (two threads) exclude each other too. They are released
//! when the description is closed (also when the process dies).
//!
//! Elsewhere there is no librmn to interoperate with, so the platform's per-description
//! lock is used: `flock(2)` on macOS and the BSDs, `LockFileEx` on Windows (whose locks
//! are mandatory: other handles cannot read the file while a writer holds it, which
//! writers only do briefly).

use std::fs::File;

use crate::error::Result;

/// Takes (`wait`: blocks until it can) or tries the whole-file write lock on `file`.
/// Returns `Ok(false)` when `wait` is false and another description holds it.
///
/// # Errors
/// I/O errors other than "already locked".
pub(crate) fn lock(file: &File, wait: bool) -> Result<bool> {
    imp::lock(file, wait)
}

/// Releases the lock taken by [`lock`].
///
/// # Errors
/// I/O errors from the platform call.
pub(crate) fn unlock(file: &File) -> Result<()> {
    imp::unlock(file)
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod imp {
    use super::*;
    use std::os::unix::io::AsRawFd;

    pub(super) fn lock(file: &File, wait: bool) -> Result<bool> {
        set(file, libc::F_WRLCK as libc::c_short, wait)
    }

    pub(super) fn unlock(file: &File) -> Result<()> {
        set(file, libc::F_UNLCK as libc::c_short, false).map(|_| ())
    }

    fn set(file: &File, kind: libc::c_short, wait: bool) -> Result<bool> {
        loop {
            // SAFETY: `flock` is a plain C struct for which all-zero is a valid value
            // (start 0, len 0 = whole file, pid 0 as OFD locks require); the fd is owned
            // by `file` and stays open for the duration of the call; fcntl only reads it.
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
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) | Some(libc::EACCES) if !wait => return Ok(false),
                _ => return Err(err.into()),
            }
        }
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
#[allow(unsafe_code)]
mod imp {
    use super::*;
    use std::os::unix::io::AsRawFd;

    pub(super) fn lock(file: &File, wait: bool) -> Result<bool> {
        let op = if wait {
            libc::LOCK_EX
        } else {
            libc::LOCK_EX | libc::LOCK_NB
        };
        set(file, op, wait)
    }

    pub(super) fn unlock(file: &File) -> Result<()> {
        set(file, libc::LOCK_UN, false).map(|_| ())
    }

    fn set(file: &File, op: libc::c_int, wait: bool) -> Result<bool> {
        loop {
            // SAFETY: the fd is owned by `file` and open for the duration of the call.
            if unsafe { libc::flock(file.as_raw_fd(), op) } == 0 {
                return Ok(true);
            }
            let err = std::io::Error::last_os_error();
            match err.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EWOULDBLOCK) if !wait => return Ok(false),
                _ => return Err(err.into()),
            }
        }
    }
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod imp {
    use super::*;
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Foundation::{ERROR_IO_PENDING, ERROR_LOCK_VIOLATION, HANDLE};
    use windows_sys::Win32::Storage::FileSystem::{
        LockFileEx, UnlockFile, LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY,
    };
    use windows_sys::Win32::System::IO::OVERLAPPED;

    pub(super) fn lock(file: &File, wait: bool) -> Result<bool> {
        let mut flags = LOCKFILE_EXCLUSIVE_LOCK;
        if !wait {
            flags |= LOCKFILE_FAIL_IMMEDIATELY;
        }
        // SAFETY: the handle is owned by `file` and open for the call; OVERLAPPED is a
        // plain struct for which all-zero (offset 0) is valid, and the call is
        // synchronous (the file is not opened for overlapped I/O).
        let ok = unsafe {
            let mut ov: OVERLAPPED = std::mem::zeroed();
            LockFileEx(
                file.as_raw_handle() as HANDLE,
                flags,
                0,
                u32::MAX,
                u32::MAX,
                &mut ov,
            )
        };
        if ok != 0 {
            return Ok(true);
        }
        let err = std::io::Error::last_os_error();
        match err.raw_os_error().map(|c| c as u32) {
            Some(ERROR_LOCK_VIOLATION) | Some(ERROR_IO_PENDING) if !wait => Ok(false),
            _ => Err(err.into()),
        }
    }

    pub(super) fn unlock(file: &File) -> Result<()> {
        // SAFETY: as in `lock`; unlocks the same whole-file range.
        let ok = unsafe { UnlockFile(file.as_raw_handle() as HANDLE, 0, 0, u32::MAX, u32::MAX) };
        if ok != 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error().into())
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod imp {
    use super::*;

    pub(super) fn lock(_file: &File, _wait: bool) -> Result<bool> {
        Err(crate::Unsupported::Other("file locking for writers on this platform").into())
    }

    pub(super) fn unlock(_file: &File) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_descriptions_exclude_each_other() {
        let scratch = crate::test_support::temp_dir("lock");
        let dir = scratch.path();
        let path = dir.join("f");
        std::fs::write(&path, b"x").unwrap();
        let rw = || {
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path)
                .unwrap()
        };
        let (a, b) = (rw(), rw());
        assert!(lock(&a, false).unwrap());
        assert!(!lock(&b, false).unwrap());
        unlock(&a).unwrap();
        assert!(lock(&b, false).unwrap());
        drop(b);
        assert!(lock(&a, false).unwrap());
    }
}
