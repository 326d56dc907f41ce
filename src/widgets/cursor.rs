//! A list's cursor: moving the selection and keeping it in view.

/// A move of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

/// The selection after `step` in a list of `len` rows showing `page` at once.
pub fn step(selected: usize, len: usize, step: Step, page: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let last = len - 1;
    match step {
        Step::Up => selected.saturating_sub(1),
        Step::Down => (selected + 1).min(last),
        Step::PageUp => selected.saturating_sub(page.max(1)),
        Step::PageDown => (selected + page.max(1)).min(last),
        Step::First => 0,
        Step::Last => last,
    }
}

/// The first row to show so that `selected` is visible among `visible`
/// rows, moving as little as possible from `offset`.
pub fn scrolled(offset: usize, selected: usize, visible: usize, len: usize) -> usize {
    let visible = visible.max(1);
    let mut o = offset;
    if selected < o {
        o = selected;
    } else if selected >= o + visible {
        o = selected + 1 - visible;
    }
    o.min(len.saturating_sub(1))
}

/// Where the cursor goes when a list's new results arrive: to the first
/// row (and the top of the list in view) for a new query, filter or order;
/// else to the record it was on (`kept`), if still there, or as near its
/// old place as the list allows. Returns (selected, offset).
pub fn answered(kept: Option<u64>, ids: &[u64], selected: usize, offset: usize, to_top: bool) -> (usize, usize) {
    if to_top {
        return (0, 0);
    }
    let s = kept
        .and_then(|id| ids.iter().position(|x| *x == id))
        .unwrap_or_else(|| selected.min(ids.len().saturating_sub(1)));
    (s, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_stay_in_the_list() {
        assert_eq!(step(0, 0, Step::Down, 5), 0);
        assert_eq!(step(3, 4, Step::Down, 5), 3);
        assert_eq!(step(3, 10, Step::PageDown, 5), 8);
        assert_eq!(step(3, 10, Step::PageUp, 5), 0);
        assert_eq!(step(3, 10, Step::Last, 5), 9);
    }

    #[test]
    fn a_new_search_goes_to_the_top_a_refresh_keeps_the_record() {
        let ids = [9, 7, 5, 3];
        assert_eq!(answered(Some(5), &ids, 3, 1, true), (0, 0));
        assert_eq!(answered(Some(5), &ids, 3, 1, false), (2, 1));
        assert_eq!(answered(Some(4), &ids, 9, 1, false), (3, 1));
    }

    #[test]
    fn the_selection_stays_in_view() {
        assert_eq!(scrolled(0, 7, 5, 20), 3);
        assert_eq!(scrolled(3, 1, 5, 20), 1);
        assert_eq!(scrolled(3, 4, 5, 20), 3);
        assert_eq!(scrolled(9, 0, 5, 0), 0);
    }
}
