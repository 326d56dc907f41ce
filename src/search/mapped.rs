//! The arrays of an [`Index`](super::Index): owned, or read in place from
//! a memory-mapped cache file. A one-shot search maps the trainees' index
//! (140 MB at a million records) and checks it instead of copying it into
//! fresh memory, which at a million records took 0.26 s more than the
//! search itself. The first change to a shared mapped array copies it (a
//! mapped index can be changed like any other).
//!
//! A long-lived process (the server, the workspace) maps its indexes
//! *privately* instead ([`Private`]): the kernel copies a page the first
//! time it is written, so a change costs a page, not the array, and pages
//! only read stay the page cache's, held once in memory rather than both
//! there and in a copy of the process's own. Each array is mapped into a
//! larger reservation it grows into in place; past that it is copied.
//!
//! A cache file is only ever replaced whole (written aside and renamed
//! over, see `service::cache`), never written in place, so a mapping stays
//! the picture of the file it was made from.

use std::sync::Arc;

/// A mapped file, shared by the arrays read from it.
pub type Map = Arc<memmap2::Mmap>;

/// An array of `T`: its own, `len` of them at byte `at` of a shared map,
/// or a private mapping of its file that it changes and grows in place.
pub(super) enum Arr<T> {
    Own(Vec<T>),
    Mapped { map: Map, at: usize, len: usize },
    Private(Private<T>),
}

impl<T: bytemuck::Pod> Clone for Arr<T> {
    /// A private mapping is changed in place, so a clone is a copy.
    fn clone(&self) -> Self {
        match self {
            Arr::Own(v) => Arr::Own(v.clone()),
            Arr::Mapped { map, at, len } => Arr::Mapped {
                map: map.clone(),
                at: *at,
                len: *len,
            },
            Arr::Private(p) => Arr::Own(p.as_slice().to_vec()),
        }
    }
}

impl<T> Default for Arr<T> {
    fn default() -> Self {
        Arr::Own(Vec::new())
    }
}

impl<T: bytemuck::Pod> Arr<T> {
    /// The `len` items at byte `at` of `map`, when they are there and
    /// aligned for `T` (else `None`: the caller copies them instead).
    pub(super) fn mapped(map: &Map, at: usize, len: usize) -> Option<Self> {
        let bytes = map.get(at..at.checked_add(len.checked_mul(size_of::<T>())?)?)?;
        bytemuck::try_cast_slice::<u8, T>(bytes).ok()?;
        Some(Arr::Mapped {
            map: map.clone(),
            at,
            len,
        })
    }

    /// The items as a vector, to change: a mapped array is copied first.
    pub(super) fn to_mut(&mut self) -> &mut Vec<T> {
        if !matches!(self, Arr::Own(_)) {
            *self = Arr::Own(self.to_vec());
        }
        match self {
            Arr::Own(v) => v,
            _ => unreachable!("copied just above"),
        }
    }

    /// Replace item `i` (a private mapping's page is copied, not the array).
    pub(super) fn set(&mut self, i: usize, x: T) {
        match self {
            Arr::Private(p) => p.as_mut_slice()[i] = x,
            _ => self.to_mut()[i] = x,
        }
    }

    /// Insert at `i`, in place when a private mapping has room.
    pub(super) fn insert(&mut self, i: usize, x: T) {
        if let Arr::Private(p) = self
            && p.try_splice(i, std::slice::from_ref(&x))
        {
            return;
        }
        self.to_mut().insert(i, x);
    }

    /// The same items, mapped privately from `file` (the file this shared
    /// map was made of); `None` when it is not a shared map or cannot be.
    pub(super) fn privately(&self, file: &std::fs::File) -> Option<Self> {
        match self {
            Arr::Mapped { at, len, .. } => Private::map(file, *at, *len).map(Arr::Private),
            _ => None,
        }
    }

    /// Whether the array is read in place from a map.
    pub(super) fn is_mapped(&self) -> bool {
        !matches!(self, Arr::Own(_))
    }

    /// Whether it is a private mapping (changed in place).
    pub(super) fn is_private(&self) -> bool {
        matches!(self, Arr::Private(_))
    }
}

impl<T: bytemuck::Pod> std::ops::Deref for Arr<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Arr::Own(v) => v,
            // Checked when made ([`Arr::mapped`]); the map never changes.
            Arr::Mapped { map, at, len } => map
                .get(*at..*at + *len * size_of::<T>())
                .and_then(|b| bytemuck::try_cast_slice(b).ok())
                .unwrap_or(&[]),
            Arr::Private(p) => p.as_slice(),
        }
    }
}

impl<T: bytemuck::Pod + std::fmt::Debug> std::fmt::Debug for Arr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{:?}", if self.is_mapped() { "mapped " } else { "" }, &self[..])
    }
}

/// Text: its own, or bytes of a map checked as UTF-8 when made (an
/// [`Arr`] of bytes, shared or private, that is always UTF-8: only whole
/// texts are added to it).
pub(super) enum Text {
    Own(String),
    Mapped(Arr<u8>),
}

impl Clone for Text {
    fn clone(&self) -> Self {
        match self {
            Text::Own(s) => Text::Own(s.clone()),
            Text::Mapped(Arr::Private(_)) => Text::Own(self.to_string()),
            Text::Mapped(a) => Text::Mapped(a.clone()),
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Own(String::new())
    }
}

impl Text {
    /// The `len` bytes at `at` of `map`, when they are there and UTF-8.
    pub(super) fn mapped(map: &Map, at: usize, len: usize) -> Option<Self> {
        let bytes = Arr::mapped(map, at, len)?;
        // The arena is mostly hanzi: the SIMD check reads it several times
        // faster than the standard library's (whose fast path is ASCII).
        simdutf8::basic::from_utf8(&bytes).ok()?;
        Some(Text::Mapped(bytes))
    }

    /// Add `s` at the end, in place when a private mapping has room.
    pub(super) fn push_str(&mut self, s: &str) {
        if let Text::Mapped(Arr::Private(p)) = self
            && p.try_splice(p.as_slice().len(), s.as_bytes())
        {
            return;
        }
        self.to_mut().push_str(s);
    }

    /// The same text, mapped privately from `file` (see [`Arr::privately`]).
    pub(super) fn privately(&self, file: &std::fs::File) -> Option<Self> {
        match self {
            Text::Mapped(a) => a.privately(file).map(Text::Mapped),
            Text::Own(_) => None,
        }
    }

    /// The text, to change: a mapped text is copied first.
    pub(super) fn to_mut(&mut self) -> &mut String {
        if let Text::Mapped(_) = self {
            *self = Text::Own(self.to_string());
        }
        match self {
            Text::Own(s) => s,
            Text::Mapped(_) => unreachable!("copied just above"),
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Own(s) => s,
            // SAFETY: these bytes were checked to be UTF-8 when the text
            // was made (`Text::mapped`), and a map never changes: the file
            // under it is only ever replaced by a rename. A private map is
            // of the file that was checked, and only whole texts are added.
            Text::Mapped(bytes) => unsafe { std::str::from_utf8_unchecked(bytes) },
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// The system's page size.
fn page_size() -> usize {
    // SAFETY: sysconf reads a constant of the system.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(p).ok().filter(|p| p.is_power_of_two()).unwrap_or(4096)
}

/// `len` items of a file mapped privately (a write copies the page written,
/// the file is never changed) at the start of a reservation of address
/// space the array grows into: as large again as the items, at least 1 MiB.
/// Pages past the file's are anonymous and take memory only when written.
pub(super) struct Private<T> {
    /// The reservation's first byte (page-aligned).
    base: std::ptr::NonNull<u8>,
    /// Its length in bytes.
    reserved: usize,
    /// Where the items begin in it (their offset in the file's page).
    off: usize,
    len: usize,
    _items: std::marker::PhantomData<T>,
}

// SAFETY: a `Private` owns its mapping alone, as a `Vec` owns its buffer;
// it is only changed through `&mut self`.
unsafe impl<T: Send> Send for Private<T> {}
// SAFETY: as above: `&self` only reads.
unsafe impl<T: Sync> Sync for Private<T> {}

impl<T: bytemuck::Pod> Private<T> {
    /// The `len` items at byte `at` of `file`. The caller has checked that
    /// the file holds them (through a shared map of the same file).
    pub(super) fn map(file: &std::fs::File, at: usize, len: usize) -> Option<Self> {
        use std::os::fd::AsRawFd;
        let page = page_size();
        let bytes = len.checked_mul(size_of::<T>())?;
        let start = at - at % page;
        let off = at - start;
        let used = off.checked_add(bytes)?.checked_next_multiple_of(page)?;
        let reserved = used.checked_add(bytes.max(1 << 20).checked_next_multiple_of(page)?)?;
        let file_len = usize::try_from(file.metadata().ok()?.len()).ok()?;
        if at.checked_add(bytes)? > file_len || !at.is_multiple_of(align_of::<T>()) {
            return None;
        }
        // SAFETY: a fresh anonymous mapping at an address of the kernel's
        // choosing; nothing else refers to it.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                reserved,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return None;
        }
        let me = Private {
            base: std::ptr::NonNull::new(base.cast::<u8>())?,
            reserved,
            off,
            len,
            _items: std::marker::PhantomData,
        };
        if used > 0 {
            // SAFETY: replaces the first `used` bytes of the reservation
            // made above (ours alone) with the file's pages from `start`;
            // every one of them begins inside the file (`at + bytes` is
            // within it), so none faults past its end.
            let got = unsafe {
                libc::mmap(
                    base,
                    used,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_FIXED,
                    file.as_raw_fd(),
                    libc::off_t::try_from(start).ok()?,
                )
            };
            if got != base {
                // A failed MAP_FIXED may have unmapped part of the range:
                // cover it again, so that what `me`'s drop unmaps is ours
                // and not a mapping made meanwhile in the hole.
                // SAFETY: the range is our reservation's.
                unsafe {
                    libc::mmap(
                        base,
                        used,
                        libc::PROT_NONE,
                        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED | libc::MAP_NORESERVE,
                        -1,
                        0,
                    );
                }
                return None; // `me` is dropped: the reservation is unmapped
            }
        }
        Some(me)
    }

    /// How many items fit without leaving the reservation.
    fn capacity(&self) -> usize {
        (self.reserved - self.off) / size_of::<T>().max(1)
    }

    fn ptr(&self) -> *mut T {
        // SAFETY: `off` is within the reservation.
        unsafe { self.base.as_ptr().add(self.off).cast::<T>() }
    }

    pub(super) fn as_slice(&self) -> &[T] {
        // SAFETY: `len` items begin at `ptr`, aligned (checked when
        // mapped), inside the reservation, and initialised (file or
        // written bytes; any bit pattern is a valid `T: Pod`).
        unsafe { std::slice::from_raw_parts(self.ptr(), self.len) }
    }

    pub(super) fn as_mut_slice(&mut self) -> &mut [T] {
        // SAFETY: as in `as_slice`; `&mut self` makes the access unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr(), self.len) }
    }

    /// Insert `xs` at `i` in place: false, changing nothing, when they do
    /// not fit in the reservation.
    pub(super) fn try_splice(&mut self, i: usize, xs: &[T]) -> bool {
        let Some(n) = self.len.checked_add(xs.len()).filter(|n| *n <= self.capacity()) else {
            return false;
        };
        assert!(i <= self.len, "insert at {i} past the end ({})", self.len);
        // SAFETY: both ranges lie within the reservation (`n` fits); the
        // items after `i` move up first, then `xs` (not in the mapping:
        // borrowed elsewhere) fills the gap.
        unsafe {
            let p = self.ptr();
            std::ptr::copy(p.add(i), p.add(i + xs.len()), self.len - i);
            std::ptr::copy_nonoverlapping(xs.as_ptr(), p.add(i), xs.len());
        }
        self.len = n;
        true
    }
}

impl<T> Drop for Private<T> {
    fn drop(&mut self) {
        // SAFETY: the reservation made in `map`, unmapped once.
        unsafe {
            libc::munmap(self.base.as_ptr().cast(), self.reserved);
        }
    }
}
