//! Sources that are not a quiet regular file (issue 11): a FIFO with no writer, a file
//! truncated while open. Both must give a typed error naming the file, never a hang or a
//! SIGBUS.

mod common;

use std::time::{Duration, Instant};

use fst24::{Error, File};

#[cfg(unix)]
#[test]
fn fifo_without_writer_is_refused_at_once() {
    let dir = common::scratch_dir("fifo");
    let fifo = dir.join("pipe.fst");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo (coreutils) must be installed");
    assert!(made.success());
    // Opened on another thread so a regression hangs that thread, not the test harness.
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(File::open(&path).map(|_| ()));
    });
    let started = Instant::now();
    let result = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("File::open of a FIFO with no writer blocked");
    let e = result.expect_err("a FIFO is not a standard file");
    assert!(
        matches!(e, Error::Io(ref io) if io.kind() == std::io::ErrorKind::InvalidInput),
        "{e}"
    );
    assert!(e.to_string().contains("pipe.fst"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // A directory is refused the same way.
    let e = File::open(&dir).unwrap_err();
    assert!(
        matches!(e, Error::Io(ref io) if io.kind() == std::io::ErrorKind::InvalidInput),
        "{e}"
    );
}

/// Files are read with positional reads by default (no mapping, whatever their size): a
/// file truncated under an open `File` gives an I/O error naming it, not a SIGBUS.
#[test]
fn file_truncated_while_open_is_an_error() {
    assert_eq!(fst24::SourceKind::default(), fst24::SourceKind::Pread);
    let src = common::shared_data().join("librmn019/mini_gem.fst");
    let path = common::ScratchPath::new("shrink", "shrink.fst");
    std::fs::copy(&src, &path).unwrap();
    let f = File::open(&path).unwrap();
    let last = f.records().last().unwrap().index;
    f.read(last).unwrap();
    let handle = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    handle.set_len(4096).unwrap();
    let e = f.read(last).unwrap_err();
    assert!(matches!(e, Error::Io(_)), "{e}");
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
}
