//! A bounds-checked reader over bytes read from disk: a read past the end
//! is `None`, never a panic. The search cache's binary form reads its
//! little-endian fields with it; salvage adds sled's varints on top
//! (`store::sledlog`).

pub struct Cur<'a>(pub &'a [u8]);

impl<'a> Cur<'a> {
    pub fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_le_bytes)
    }

    pub fn u64_le(&mut self) -> Option<u64> {
        self.take(8)?.try_into().ok().map(u64::from_le_bytes)
    }

    pub fn i64(&mut self) -> Option<i64> {
        self.take(8)?.try_into().ok().map(i64::from_le_bytes)
    }

    pub fn empty(&self) -> bool {
        self.0.is_empty()
    }
}
