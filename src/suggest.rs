//! "Did you mean": the one place that ranks near misses, for every message
//! that names a typo (keymap files, spreadsheet columns and cells). The
//! distance is `strsim`'s Levenshtein, counted in characters, so one CJK
//! character is one edit.

/// Edit distance between two strings, in characters.
pub fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The candidates nearest to `input` (at most `n`, close enough to be a
/// plausible typo), best first; ties keep the candidates' order. Case is
/// ignored; a candidate that contains the input, or is contained in it,
/// counts as one edit away.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let needle = input.trim().to_lowercase();
    let len = needle.chars().count();
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if scored.iter().any(|(_, _, s)| *s == c) {
            continue;
        }
        let lc = c.to_lowercase();
        let d = distance(&needle, &lc);
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

/// "; did you mean 'x'?" for the nearest of `candidates`, or nothing: the
/// tail a one-line message gets.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match nearest(input, candidates, 1).as_slice() {
        [] => String::new(),
        one => format!("; {}", did_you_mean(one)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(distance("润洲区", "润州区"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("welder", "welder"), 0);
    }

    #[test]
    fn nearest_finds_typos_and_not_noise() {
        let regions = ["京口区", "润州区", "丹徒区", "丹阳市"];
        assert_eq!(nearest("润洲区", regions, 3), vec!["润州区"]);
        assert!(nearest("上海市浦东新区", regions, 3).is_empty());
        assert_eq!(did_you_mean(&["a", "b"]), "did you mean 'a' or 'b'?");
    }

    #[test]
    fn keymap_names_find_their_near_misses() {
        assert_eq!(nearest("sav", ["save", "quit"], 1), vec!["save"]);
        assert_eq!(nearest("lsit", ["list", "form"], 1), vec!["list"]);
        assert_eq!(nearest("PARI", ["pair", "save"], 1), vec!["pair"]);
        assert!(nearest("zzzzzz", ["save"], 1).is_empty());
        assert_eq!(hint("crtl", ["ctrl", "alt", "shift"]), "; did you mean 'ctrl'?");
        assert_eq!(hint("zzzzzz", ["save"]), "");
    }
}
