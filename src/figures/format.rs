//! Numbers as the dashboard and the report print them.

/// A whole number with thousands separators: 80,000.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A signed whole number with separators: -1,234.
pub fn signed(n: i64) -> String {
    if n < 0 {
        format!("-{}", int(n.unsigned_abs()))
    } else {
        int(n as u64)
    }
}

/// A target's value: counts as whole numbers, the rate with one decimal.
pub fn value(v: f64, count: bool) -> String {
    if count {
        int(v.max(0.0).round() as u64)
    } else {
        let tenths = (v.max(0.0) * 10.0).round() as u64;
        format!("{}.{}", int(tenths / 10), tenths % 10)
    }
}

/// A share as a percentage with one decimal; a tiny non-zero share is "<0.1%".
pub fn share(s: f64) -> String {
    if s > 0.0 && s < 0.0005 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", s * 100.0)
    }
}

/// A rate as a whole percentage, or a dash when there is nothing to divide.
pub fn rate(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.0}%", r * 100.0),
        None => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(80_000), "80,000");
        assert_eq!(int(2_000_000), "2,000,000");
        assert_eq!(signed(-1_234), "-1,234");
        assert_eq!(signed(5), "5");
        assert_eq!(value(1_131.51, false), "1,131.5");
        assert_eq!(value(1_200.0, false), "1,200.0");
        assert_eq!(value(21_041.1, true), "21,041");
        assert_eq!(share(6.0 / 80_000.0), "<0.1%");
        assert_eq!(share(0.0), "0.0%");
        assert_eq!(share(0.2631), "26.3%");
        assert_eq!(rate(Some(0.75)), "75%");
        assert_eq!(rate(None), "—");
    }
}
