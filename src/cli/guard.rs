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
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
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

/// The global allocator: mimalloc for a command that runs and ends, the
/// system's for one that stays up, ending the process with [`MEMORY_CODE`]
/// (and one line, written without allocating) when an allocation fails,
/// instead of Rust's abort.
///
/// mimalloc for the commands that run and end: most of a bulk write's
/// time is sled's, and much of sled's is allocating and freeing nodes; with
/// glibc's allocator a third of the CPU of building a demo city went to
/// malloc and free. With mimalloc the 1M city took 74–86 s of CPU instead
/// of 138 s (47–53 s instead of 85–97 s on 2 cores, run in turn), the 100k
/// city 3.8–4.8 s instead of 6.0–6.7 s, at the same peak.
///
/// The system's for serve, kiosk, tui and no subcommand: with mimalloc a
/// server held more for as long as it ran (1M: 717–724 against 701–702
/// MiB; 100k with 50 idle sessions: 141–146 against 123–124 MiB), and
/// glibc's gives back what loading freed (`malloc_trim`). `demo` runs on
/// mimalloc, build and all, and has it give freed memory back at once if
/// it goes on to open the workspace ([`give_back_at_once`]).
///
/// The choice is made from the command line by the start-up entry
/// `CHOOSE`, before anything is allocated, and never changes (should
/// anything allocate before it, the system's is fixed): every block is
/// freed by the allocator that made it.
pub struct OutOfMemory;

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const MIMALLOC: u8 = 2;
static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);
/// Set by [`CHOOSE`] once it ran (a test reads it).
static CHOSE_AT_START: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The allocator of this process. Should anything allocate before the
/// start-up entry ran, the system's is fixed for good.
fn choice() -> u8 {
    match CHOICE.load(Ordering::Relaxed) {
        UNDECIDED => match CHOICE.compare_exchange(UNDECIDED, SYSTEM, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => SYSTEM,
            Err(c) => c,
        },
        c => c,
    }
}

/// Whether the command line is that of a process that stays up: serve,
/// kiosk, tui, or no subcommand (the workspace). `demo` counts as one
/// that ends: its build is the part the allocator matters to. Only the first word that is not an
/// option (nor a global option's value) is looked at.
fn stays_up<'a>(args: impl IntoIterator<Item = &'a [u8]>) -> bool {
    let mut args = args.into_iter().skip(1);
    while let Some(a) = args.next() {
        if matches!(a, b"--db" | b"--keymap" | b"--lang" | b"--operator") {
            args.next();
        } else if !a.starts_with(b"-") {
            return matches!(a, b"serve" | b"kiosk" | b"tui");
        }
    }
    true
}

/// Run by glibc's start-up code, with the process's arguments, before
/// Rust's `main` and before any unnumbered constructor (mimalloc's, built
/// by gcc, is one; the linker puts numbered entries first): choose the
/// allocator, and for mimalloc have arenas committed as they are used
/// (mimalloc reads that option whenever it reserves an arena, the first
/// time at its first allocation; a guarded command's data limit then
/// counts only what is used). Only glibc passes argc and argv to these
/// entries, as std's own entry at 99 relies on.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[unsafe(link_section = ".init_array.00100")]
static CHOOSE: extern "C" fn(std::ffi::c_int, *const *const std::ffi::c_char) = {
    extern "C" fn choose(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) {
        let n = usize::try_from(argc).unwrap_or(0);
        let args = (0..n).filter_map(|i| {
            // SAFETY: the C start-up code passes argc entries of argv, each
            // a NUL-terminated string that lives as long as the process.
            let p = unsafe { *argv.add(i) };
            (!p.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes())
        });
        let pick = if argv.is_null() || stays_up(args) {
            SYSTEM
        } else {
            MIMALLOC
        };
        if pick == MIMALLOC {
            // SAFETY: setting an option takes no pointers and is allowed
            // at any time.
            unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0) }
        }
        let _ = CHOICE.compare_exchange(UNDECIDED, pick, Ordering::Relaxed, Ordering::Relaxed);
        CHOSE_AT_START.store(true, Ordering::Relaxed);
    }
    choose
};

/// `$call` on the allocator chosen for the process ([`choice`]).
macro_rules! on_chosen {
    ($call:ident($($arg:expr),*)) => {
        if choice() == MIMALLOC {
            MiMalloc.$call($($arg),*)
        } else {
            System.$call($($arg),*)
        }
    };
}

/// A block as allocated; a failed allocation ends the process.
fn or_out_of_memory(p: *mut u8) -> *mut u8 {
    if p.is_null() {
        out_of_memory();
    }
    p
}

// SAFETY: every call is passed straight to the allocator chosen once for
// the process, so a block is freed by the allocator that made it; only a
// failed allocation is handled here, by ending the process with `_exit`,
// which neither allocates nor returns.
unsafe impl GlobalAlloc for OutOfMemory {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        or_out_of_memory(unsafe { on_chosen!(alloc(layout)) })
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on unchanged.
        unsafe { on_chosen!(dealloc(ptr, layout)) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        or_out_of_memory(unsafe { on_chosen!(alloc_zeroed(layout)) })
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`.
        or_out_of_memory(unsafe { on_chosen!(realloc(ptr, layout, new_size)) })
    }
}

/// mimalloc's options by their number in its `mimalloc.h` (version 3.3.2,
/// the one `libmimalloc-sys` 0.1.49 builds; its binding does not name
/// them). A test fails when another version is built, so that the numbers
/// are read again.
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DECOMMITS: libmimalloc_sys::mi_option_t = 5;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For `demo` when it goes on to open the workspace (it ran on mimalloc
/// for the build, and the allocator never changes): memory freed is given
/// back to the system at once, so the session holds about what it uses
/// (with mimalloc's defaults a 1M server held 1.12–1.17 GB, with these
/// 0.78 GB, with glibc's allocator 0.70 GB).
pub fn give_back_at_once() {
    if choice() == MIMALLOC {
        // SAFETY: setting an option takes no pointers and is allowed at
        // any time; these only change when and how free memory is returned.
        unsafe {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DECOMMITS, 1);
        }
    }
}

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
    fn the_option_number_is_that_of_the_mimalloc_built() {
        // SAFETY: mi_version takes no pointers.
        let version = unsafe { libmimalloc_sys::mi_version() };
        assert_eq!(version, 30302, "read the option number again from this mimalloc.h");
    }

    #[test]
    fn servers_and_the_workspace_keep_the_systems_allocator_and_the_rest_take_mimalloc() {
        let up = |line: &str| stays_up(line.split(' ').map(str::as_bytes));
        for line in [
            "skillbridge",
            "skillbridge serve --listen 0.0.0.0:2222",
            "skillbridge --db serve kiosk",
            "skillbridge --db /srv/city --lang zh tui",
            "skillbridge --operator wang kiosk --db x",
            "skillbridge --lang zh",
        ] {
            assert!(up(line), "{line}");
        }
        for line in [
            "skillbridge demo",
            "skillbridge demo --build-only --trainees 1000000",
            "skillbridge --db serve search trainees 王芳",
            "skillbridge --db=/srv/city import trainees.csv",
            "skillbridge restore serve.jsonl",
            "skillbridge check --repair",
        ] {
            assert!(!up(line), "{line}");
        }
    }

    #[test]
    fn the_choice_was_made_at_start_up_from_this_command_line() {
        assert!(CHOSE_AT_START.load(Ordering::Relaxed), "the start-up entry did not run");
        let args: Vec<String> = std::env::args().collect();
        let want = if stays_up(args.iter().map(|a| a.as_bytes())) {
            SYSTEM
        } else {
            MIMALLOC
        };
        assert_eq!(CHOICE.load(Ordering::Relaxed), want);
        if want == MIMALLOC {
            // SAFETY: mi_option_get takes no pointers.
            assert_eq!(
                unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_ARENA_EAGER_COMMIT) },
                0
            );
        }
    }
}
