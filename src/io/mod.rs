//! The city's spreadsheets in and out, and whole-database backups.
//!
//! - `import`: read a CSV (UTF-8 with or without BOM, or GB18030/GBK), an
//!   `.xlsx` workbook or a JSON export, check every row with the store's own
//!   rules, and write the good rows in batches (`plan`, then `apply`).
//! - `export`: write what `import` reads (CSV or JSON), references by name.
//! - `backup`: a documented, versioned, checksummed snapshot of every record
//!   (cases and events included), and its restore into a new database.
//!
//! Library code: no terminal UI here, typed errors for callers to match on.

pub mod backup;
pub mod columns;
pub mod export;
pub mod import;
pub mod progress;
pub mod resolve;
pub mod table;

/// Edit distance between two strings, counted in characters (so one CJK
/// character is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates nearest to `input` (at most `n`, close enough to be a
/// plausible typo), best first; ties keep the candidates' order.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let needle = input.trim().to_lowercase();
    let len = needle.chars().count();
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if scored.iter().any(|(_, _, s)| *s == c) {
            continue;
        }
        let lc = c.to_lowercase();
        let d = edit_distance(&needle, &lc);
        let contains = !needle.is_empty() && (lc.contains(&needle) || needle.contains(&lc));
        let limit = (len.max(lc.chars().count()) / 2).max(1);
        if d <= limit || contains {
            scored.push((if contains { d.min(1) } else { d }, i, c));
        }
    }
    scored.sort();
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// "did you mean 'a' or 'b'?" or nothing.
pub fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("did you mean '{one}'?"),
        many => {
            let quoted: Vec<String> = many.iter().map(|s| format!("'{s}'")).collect();
            format!("did you mean {}?", quoted.join(" or "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("润洲区", "润州区"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("welder", "welder"), 0);
    }

    #[test]
    fn nearest_finds_typos_and_not_noise() {
        let regions = ["京口区", "润州区", "丹徒区", "丹阳市"];
        assert_eq!(nearest("润洲区", regions, 3), vec!["润州区"]);
        assert!(nearest("上海市浦东新区", regions, 3).is_empty());
        assert_eq!(did_you_mean(&["a", "b"]), "did you mean 'a' or 'b'?");
    }
}
