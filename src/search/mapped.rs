//! The arrays of an [`Index`](super::Index): owned, or read in place from
//! a memory-mapped cache file. A one-shot search maps the trainees' index
//! (140 MB at a million records) and checks it instead of copying it into
//! fresh memory, which at a million records took 0.26 s more than the
//! search itself. The first change to a mapped array copies it (a mapped
//! index can be changed like any other).
//!
//! A cache file is only ever replaced whole (written aside and renamed
//! over, see `service::cache`), never written in place, so a mapping stays
//! the picture of the file it was made from.

use std::sync::Arc;

/// A mapped file, shared by the arrays read from it.
pub type Map = Arc<memmap2::Mmap>;

/// An array of `T`: its own, or `len` of them at byte `at` of a map.
#[derive(Clone)]
pub(super) enum Arr<T> {
    Own(Vec<T>),
    Mapped { map: Map, at: usize, len: usize },
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

    /// The items, to change: a mapped array is copied first.
    pub(super) fn to_mut(&mut self) -> &mut Vec<T> {
        if let Arr::Mapped { .. } = self {
            *self = Arr::Own(self.to_vec());
        }
        match self {
            Arr::Own(v) => v,
            Arr::Mapped { .. } => unreachable!("copied just above"),
        }
    }

    /// Whether the array is read in place from a map.
    pub(super) fn is_mapped(&self) -> bool {
        matches!(self, Arr::Mapped { .. })
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
        }
    }
}

impl<T: bytemuck::Pod + std::fmt::Debug> std::fmt::Debug for Arr<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{:?}", if self.is_mapped() { "mapped " } else { "" }, &self[..])
    }
}

/// Text: its own, or bytes of a map checked as UTF-8 when made (an
/// [`Arr`] of bytes that is always UTF-8).
#[derive(Clone)]
pub(super) enum Text {
    Own(String),
    Mapped(Arr<u8>),
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
        std::str::from_utf8(&bytes).ok()?;
        Some(Text::Mapped(bytes))
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
            // under it is only ever replaced by a rename.
            Text::Mapped(bytes) => unsafe { std::str::from_utf8_unchecked(bytes) },
        }
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}
