//! The guard: a one-shot command on a database (stats, check, repair,
//! search, export, backup, import, report, restore, salvage) runs in a
//! child process that this one watches. A damaged database can send the
//! storage engine into an endless loop, an allocation without bound or a
//! panic; the child then ends within a bound and the operator reads one
//! message naming the database and what to do, never a backtrace.
//!
//! - Memory: the child's data segment is limited (`RLIMIT_DATA`) to
//!   400 MB plus four times the database and the input file; an allocation
//!   past it ends the child (see [`OutOfMemory`]).
//! - Time: the child reports progress (the store counts every record it
//!   reads or writes, `store::progress`) on a pipe; no progress for 6 s
//!   plus a second per 20 MB of database ends it.
//! - Panics: the child's panic hook ends it at once with a code of its own
//!   (a panic on one of sled's threads would otherwise leave it waiting).
//!
//! The child inherits the terminal (progress bars, pipes and exit codes
//! are the command's own).

use mimalloc::MiMalloc;
use skillbridge::say::Say;
use skillbridge::say::cli::{CliError, Stopped};
use std::alloc::{GlobalAlloc, Layout};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Set in the child: it runs the command itself.
pub const CHILD: &str = "SKILLBRIDGE_GUARDED";
/// The file descriptor the child reports progress on.
const BEAT_FD: &str = "SKILLBRIDGE_GUARD_FD";
/// For tests of the guard itself: `hang`, `grow` or `panic` makes the child
/// misbehave that way before it runs the command.
pub const TEST_FAULT: &str = "SKILLBRIDGE_GUARD_TEST";

const PANIC_CODE: i32 = 70;
const MEMORY_CODE: i32 = 71;

/// The global allocator: mimalloc, ending the process with
/// [`MEMORY_CODE`] (and one line, written without allocating) when an
/// allocation fails, instead of Rust's abort.
///
/// mimalloc rather than the system's: most of a bulk write's time is
/// sled's, and much of sled's is allocating and freeing nodes; with glibc's
/// allocator a third of the CPU of building a demo city went to malloc and
/// free. With mimalloc the 1M city took 74 s of CPU instead of 138 s
/// (46.6 s instead of 96.5 s on 2 cores, run in turn), the 300k city 14 s
/// instead of 22 s, at the same peak. A process that stays up gives freed
/// memory back at once ([`hold_little`]).
pub struct OutOfMemory;

// SAFETY: every call is passed straight to the system allocator; only a
// failed allocation is handled here, by ending the process with `_exit`,
// which neither allocates nor returns.
unsafe impl GlobalAlloc for OutOfMemory {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        let p = unsafe { MiMalloc.alloc(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on unchanged.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

/// mimalloc's options by their number in its `mimalloc.h` (version 3.3.2,
/// the one `libmimalloc-sys` 0.1.49 builds; its binding does not name
/// these). A test fails when another version is built, so that the
/// numbers are read again.
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For a process that stays up (a server, the workspace, a kiosk): memory
/// freed is given back to the system at once and arenas are committed as
/// they are used, so the steady footprint is what is held. With mimalloc's
/// defaults (freed memory kept 10 ms per page, arenas committed whole) a
/// 1M server settled at 1.12–1.17 GB against 701 MB with glibc's
/// allocator; with these, at 718 MB.
pub fn hold_little() {
    // SAFETY: setting an option takes no pointers and is allowed at any
    // time; these only change when and how mimalloc returns free memory.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DECOMMITS, 1);
    }
}

/// Arenas committed as they are used, not whole: read when mimalloc makes
/// its first arena, at its own start, so set before it, from the binary's
/// start-up list at a priority ahead of mimalloc's constructor (101).
/// Without it a 1M server settled 55 MB higher.
#[used]
#[unsafe(link_section = ".init_array.00100")]
static COMMIT_AS_USED: extern "C" fn() = {
    extern "C" fn commit_as_used() {
        // SAFETY: as in `hold_little`; it runs before any allocation.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
    }
    commit_as_used
};

fn out_of_memory() -> ! {
    const MSG: &[u8] = b"skillbridge: out of memory\n";
    // SAFETY: write(2) of a static buffer and _exit(2) touch no Rust state
    // and do not allocate; _exit never returns.
    unsafe {
        if std::env::var_os(CHILD).is_none() {
            libc::write(2, MSG.as_ptr().cast(), MSG.len());
        }
        libc::_exit(MEMORY_CODE)
    }
}

fn dir_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|d| {
            d.flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => dir_bytes(&e.path()),
                    _ => e.metadata().map(|m| m.len()).unwrap_or(0),
                })
                .sum()
        })
        .unwrap_or(0)
}

/// In the child: start reporting progress and take panics as an exit.
pub fn child_setup() {
    std::panic::set_hook(Box::new(|_| {
        std::process::exit(PANIC_CODE);
    }));
    if let Some(fd) = std::env::var(BEAT_FD).ok().and_then(|v| v.parse::<i32>().ok()) {
        let _ = std::thread::Builder::new().name("guard-beat".into()).spawn(move || {
            let mut last = u64::MAX;
            loop {
                let now = skillbridge::store::progress::ticks();
                if now != last {
                    last = now;
                    // SAFETY: one byte from a live stack buffer to a pipe the
                    // parent made for this; a failed write only means the
                    // parent is gone.
                    let n = unsafe { libc::write(fd, b".".as_ptr().cast(), 1) };
                    if n < 0 {
                        return;
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        });
    }
    match std::env::var(TEST_FAULT).as_deref() {
        Ok("hang") => loop {
            std::thread::sleep(Duration::from_secs(1));
        },
        Ok("grow") => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1u8; 16 << 20]);
            }
        }
        Ok("panic") => panic!("the guard's test panic"),
        _ => {}
    }
}

/// Run this process's command again as a watched child and report how it
/// ended. `db` is the database it reads; `input` a file it reads (import,
/// restore), for the bounds.
pub fn run(db: &Path, input: Option<&Path>) -> anyhow::Result<ExitCode> {
    let data = dir_bytes(db) + input.and_then(|p| std::fs::metadata(p).ok()).map_or(0, |m| m.len());
    let memory = 400_000_000u64.saturating_add(data.saturating_mul(4));
    let stall = Duration::from_secs(6 + data / 20_000_000);
    let mut fds = [0i32; 2];
    // SAFETY: pipe(2) fills the two-element array it is given.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(CliError::CannotStart {
            source: std::io::Error::last_os_error(),
        }
        .into());
    }
    let (read_fd, write_fd) = (fds[0], fds[1]);
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.args(std::env::args_os().skip(1))
        .env(CHILD, "1")
        .env(BEAT_FD, write_fd.to_string());
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec only async-signal-safe calls are
        // made: setrlimit(2) and close(2), with values computed before.
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: memory as libc::rlim_t,
                    rlim_max: memory as libc::rlim_t,
                };
                libc::setrlimit(libc::RLIMIT_DATA, &lim);
                libc::close(read_fd);
                Ok(())
            });
        }
    }
    let spawned = cmd.spawn();
    // SAFETY: the parent's copy of the write end is not used again.
    unsafe {
        libc::close(write_fd);
    }
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            // SAFETY: closing the read end this process owns.
            unsafe {
                libc::close(read_fd);
            }
            return Err(CliError::CannotStart { source: e }.into());
        }
    };
    let start = Instant::now();
    let last_beat = Arc::new(AtomicU64::new(0));
    {
        let last_beat = last_beat.clone();
        std::thread::spawn(move || {
            use std::os::fd::FromRawFd;
            // SAFETY: the read end is this process's and is owned by the File from here on.
            let mut pipe = unsafe { std::fs::File::from_raw_fd(read_fd) };
            let mut buf = [0u8; 64];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                last_beat.store(start.elapsed().as_millis() as u64, Ordering::Relaxed);
            }
        });
    }
    let lang = super::spoken();
    let stopped = |s: Stopped| eprintln!("{}", s.say(lang));
    let db = db.to_path_buf();
    loop {
        if let Some(status) = child.try_wait()? {
            use std::os::unix::process::ExitStatusExt;
            return Ok(match (status.code(), status.signal()) {
                (Some(code), _) if code == PANIC_CODE => {
                    stopped(Stopped::Panicked { db });
                    ExitCode::FAILURE
                }
                (Some(code), _) if code == MEMORY_CODE => {
                    stopped(Stopped::Memory {
                        db,
                        mb: memory / 1_000_000,
                    });
                    ExitCode::FAILURE
                }
                (Some(code), _) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
                (None, Some(signal)) => {
                    stopped(Stopped::Signal { db, signal });
                    ExitCode::FAILURE
                }
                (None, None) => ExitCode::FAILURE,
            });
        }
        let since = start
            .elapsed()
            .saturating_sub(Duration::from_millis(last_beat.load(Ordering::Relaxed)));
        if since > stall {
            let _ = child.kill();
            let _ = child.wait();
            stopped(Stopped::Stalled {
                db,
                secs: stall.as_secs(),
            });
            return Ok(ExitCode::FAILURE);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_numbers_are_those_of_the_mimalloc_built() {
        // SAFETY: mi_version and mi_option_get take no pointers.
        let version = unsafe { libmimalloc_sys::mi_version() };
        assert_eq!(version, 30302, "read the option numbers again from this mimalloc.h");
        hold_little();
        // SAFETY: as above.
        let (delay, decommits, eager) = unsafe {
            (
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY),
                libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DECOMMITS),
                libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_EAGER_COMMIT),
            )
        };
        // The binary's start-up list ran before this test: arenas are
        // committed as used.
        assert_eq!((delay, decommits, eager), (0, 1, 0));
    }
}
