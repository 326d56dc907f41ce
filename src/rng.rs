//! splitmix64: small, fast, seedable, and its stream never changes between
//! versions (a crate's generator may), so a seed always replays the same
//! demo city or the same crash-test workload.

#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// lo..=hi.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo + 1)) as u32
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    /// One item of a non-empty slice.
    pub fn pick<'a, T>(&mut self, s: &'a [T]) -> &'a T {
        &s[self.below(s.len() as u64) as usize]
    }

    /// One item, or `None` for an empty slice.
    pub fn try_pick<'a, T>(&mut self, s: &'a [T]) -> Option<&'a T> {
        if s.is_empty() { None } else { Some(self.pick(s)) }
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(u64::from(total)) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_never_changes() {
        let mut r = Rng(7);
        assert_eq!(r.next_u64(), 0x63cb_e1e4_5932_0dd7);
        assert!(Rng(1).try_pick::<u8>(&[]).is_none());
        assert_eq!(Rng(3).weighted(&[0, 5, 0]), 1);
    }
}
