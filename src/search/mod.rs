//! Search that finds a record by its Chinese text, its full pinyin, its
//! pinyin initials, its English names and its codes, with fzf's query
//! terms: space = AND, `'exact`, `^prefix`, `suffix$`, `!not`.
//!
//! Each record becomes a [`Hay`]: the display line, the same line with every
//! hanzi replaced by its initial (same length: char `i` ↔ char `i`), and the
//! line with every hanzi replaced by its full syllable. ASCII terms match the
//! initials and the pinyin forms; terms with CJK match the line itself. Each
//! hay carries a bitmask of the ASCII characters it holds and a small bloom of
//! its CJK characters, so most non-matches are dropped before the matcher
//! runs.

mod hay;
mod index;
mod mapped;
mod query;
mod score;

pub use hay::{Hay, HayOf, HayRef, is_wide};
pub use index::{Hit, Index, Positions, sort_best_first};
pub use mapped::Map;
pub use query::{Query, Term, TermKind};
pub use score::{FUZZY_MIN_ASCII, highlight, score};

#[cfg(test)]
mod tests {
    use super::index::PARALLEL_FROM;
    use super::*;

    fn finds(line: &str, q: &str) -> bool {
        score(&Hay::new(line.to_string()), &Query::parse(q)).is_some()
    }

    #[test]
    fn chinese_pinyin_and_initials_all_find_the_trade() {
        for q in ["焊工", "hg", "hangong", "HG", "han gong", "hang"] {
            assert!(finds("焊工 welder 6-18-02-04", q), "{q}");
        }
        assert!(finds("养老护理员 elder-care worker", "ylhly"));
        assert!(finds("装配钳工 assembly fitter", "zpqg"));
        assert!(finds("焊工 welder 6-18-02-04", "welder"));
        assert!(finds("焊工 welder 6-18-02-04", "6-18-02"));
        assert!(!finds("车工 lathe turner", "焊"));
        assert!(!finds("车工 丹阳", "hg"));
        assert!(!finds("车工 丹阳", "hangong"));
    }

    #[test]
    fn fzf_terms() {
        let l = "焊工 welder | 丹阳市 | 12人";
        assert!(finds(l, "'welder"));
        assert!(!finds(l, "'wdr"));
        assert!(finds(l, "wdr"));
        assert!(finds(l, "^焊"));
        assert!(!finds(l, "^丹"));
        assert!(finds(l, "^hg"));
        assert!(finds(l, "人$"));
        assert!(finds(l, "焊工 丹阳"));
        assert!(!finds(l, "焊工 !丹阳"));
        assert!(finds(l, "焊工 !句容"));
        assert!(!finds(l, "焊工 车工"));
        assert!(finds(l, ""));
        assert!(finds(l, "   "));
    }

    #[test]
    fn initials_match_as_a_run_not_scattered() {
        let q = Query::parse("hg");
        assert!(score(&Hay::new("焊工".into()), &q).is_some());
        assert!(score(&Hay::new("黄色的小狗".into()), &q).is_none());
        assert!(score(&Hay::new("新区航空部件".into()), &q).is_none());
        assert!(score(&Hay::new("新区 Zhenjiang".into()), &q).is_none());
        assert!(score(&Hay::new("新区 Zhenjiang".into()), &Query::parse("zjg")).is_some());
        // Digits are a run at any length: 32119 is not 3…2…1…1…9.
        let id = Hay::new("王芳  321102198104229572  13915968613".into());
        assert!(score(&id, &Query::parse("3211021981")).is_some());
        assert!(score(&id, &Query::parse("139159")).is_some());
        assert!(score(&id, &Query::parse("32119")).is_none());
        assert!(score(&id, &Query::parse("wf 13915")).is_some());
        // English stays fuzzy.
        assert!(score(&Hay::new("焊工 welder".into()), &Query::parse("wldr")).is_some());
        let start = score(&Hay::new("焊工 企业".into()), &q).unwrap();
        let inner = score(&Hay::new("电焊工 企业".into()), &q).unwrap();
        assert!(start > inner, "{start} vs {inner}");
    }

    #[test]
    fn highlight_maps_every_form_back_to_the_line() {
        let hay = Hay::new("王芳 焊工".into());
        assert_eq!(highlight(&hay, &Query::parse("焊工")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("hg")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("hangong")), vec![3, 4]);
        assert_eq!(highlight(&hay, &Query::parse("wangfang")), vec![0, 1]);
        assert_eq!(highlight(&hay, &Query::parse("!wf")), Vec::<usize>::new());
    }

    /// The same hay with its derived forms kept whole (no shared tail).
    fn whole(line: &str) -> Hay {
        let h = Hay::new(line.to_string());
        let (i, p) = (h.initials().into_owned(), h.pinyin().into_owned());
        Hay::from_text(format!("{line}{i}{p}"), line.len(), line.len() + i.len(), line.len())
    }

    #[test]
    fn a_shared_tail_matches_and_scores_exactly_as_whole_forms() {
        let lines = [
            "谢明  321102199312246574  15969878355",
            "谢明  K20253  32110219931224657X",
            "装配钳工等级认定班（高新区·1月）  k20253  321102",
            "abc def",
            "  123 45",
            "谢明",
            "",
        ];
        let queries = [
            "3211",
            "^xm",
            "574$",
            "355$",
            "'20253",
            "xm",
            "xieming",
            "321 159",
            "!3211",
            "=xm",
            "谢明",
            "k2025",
            "xm3211",
            "3211955",
            "^xm$",
            "^abc$",
            "^谢明$",
            "^xieming$",
            "^123$",
            "^k20253$",
            "!^xm$",
            "abc",
            "^abc",
            "def$",
            "=abc",
            "^123",
            "45$",
            "=谢明",
            "xiem 355$",
            "gxq",
            "1yue",
            "zpqg 321102$",
        ];
        for line in lines {
            let (split, whole) = (Hay::new(line.to_string()), whole(line));
            assert_eq!(split.line(), whole.line());
            assert_eq!(split.initials(), whole.initials(), "{line}");
            assert_eq!(split.pinyin(), whole.pinyin(), "{line}");
            assert_eq!(split.ascii_mask, whole.ascii_mask, "{line}");
            let back = Hay::from_parts(line, &split.initials(), &split.pinyin());
            assert_eq!(back, split, "{line}");
            for q in queries {
                let q = Query::parse(q);
                assert_eq!(score(&split, &q), score(&whole, &q), "{line} / {}", q.raw);
                assert_eq!(highlight(&split, &q), highlight(&whole, &q), "{line} / {}", q.raw);
            }
        }
        // The tail is kept once: the ID number and mobile are not repeated.
        let h = Hay::new(lines[0].to_string());
        assert_eq!(h.text.matches("321102199312246574").count(), 1);
        assert!(h.text.len() < lines[0].len() + "xm".len() + "xieming".len() + 1);
    }

    #[test]
    fn shared_text_is_found_once_per_query_and_ranks_below_the_line() {
        let mut ix = Index::new();
        ix.upsert_tagged(1, Hay::new("王芳  焊工".into()), &["Danyang", "welder 电焊工"]);
        ix.upsert_tagged(2, Hay::new("李雷  车工".into()), &["Danyang", "lathe turner"]);
        ix.upsert_tagged(3, Hay::new("张伟  welder".into()), &["Jurong"]);
        let ids_in = |ix: &Index, q: &str| -> Vec<u64> {
            let mut h = ix.search(&Query::parse(q), None, &|| false).unwrap();
            h.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
            h.into_iter().map(|h| h.id).collect()
        };
        let ids = |q: &str| ids_in(&ix, q);
        assert_eq!(ids("danyang"), vec![1, 2]);
        assert_eq!(ids("dy"), Vec::<u64>::new(), "two letters are a run, not scattered");
        assert_eq!(ids("电焊"), vec![1]);
        assert_eq!(ids("danyang !lathe"), vec![1], "negation looks at tags too");
        assert_eq!(ids("!danyang"), vec![3]);
        assert_eq!(ids("welder"), vec![3, 1], "own text first");
        assert_eq!(ix.full_line(2).unwrap(), "李雷  车工 Danyang lathe turner");
        assert_eq!(ix.tags_of(3), vec!["Jurong"]);
        // A run in the initials alone (digits) is found in tags too, below
        // the same run on a record's own line.
        let mut codes = Index::new();
        codes.upsert_tagged(1, Hay::new("赵六  13800001111".into()), &["6-18-02-04"]);
        codes.upsert_tagged(2, Hay::new("钱七  13900001818".into()), &["6-20-01"]);
        codes.upsert_tagged(3, Hay::new("孙八".into()), &["6-20-01"]);
        assert_eq!(ids_in(&codes, "18"), vec![2, 1]);
        assert_eq!(ids_in(&codes, "20"), vec![2, 3]);
        assert_eq!(ids_in(&codes, "20 13"), vec![2]);
        assert_eq!(ids_in(&codes, "4"), vec![1]);
        // Replacing a record replaces its tags.
        ix.upsert_tagged(2, Hay::new("李雷  车工".into()), &["Jurong"]);
        assert_eq!(ids_in(&ix, "danyang"), vec![1]);
    }

    #[test]
    fn indexes_built_apart_and_joined_equal_one_built_whole() {
        let recs: Vec<(u64, String, Vec<String>)> = (0..50u64)
            .map(|i| {
                (
                    i * 3 + 1,
                    format!("学员{i}  焊工"),
                    vec![format!("district {}", i % 4), format!("group {}", i % 3)],
                )
            })
            .collect();
        let mut whole = Index::new();
        for (id, line, tags) in &recs {
            whole.upsert_tagged(*id, Hay::new(line.clone()), tags);
        }
        let parts: Vec<Index> = recs
            .chunks(17)
            .map(|c| {
                let mut ix = Index::new();
                for (id, line, tags) in c {
                    ix.upsert_tagged(*id, Hay::new(line.clone()), tags);
                }
                ix
            })
            .collect();
        let joined = Index::concat(parts);
        assert_eq!(joined.len(), whole.len());
        for (id, _, _) in whole.iter() {
            assert_eq!(joined.full_line(id), whole.full_line(id));
        }
        for q in ["district 2", "group !district", "hg", "xy"] {
            let q = Query::parse(q);
            assert_eq!(joined.search(&q, None, &|| false), whole.search(&q, None, &|| false));
        }
    }

    #[test]
    fn runs_are_scored_by_their_own_path_as_by_the_general_one() {
        use super::score::{Verdict, run_verdict, runs_first, term_hit};
        let lines = [
            "王芳  321102198104229572  13915968613",
            "谢明  K20253  32110219931224657X",
            "装配钳工等级认定班（高新区·1月）  k20253  321102",
            "欧阳秀英3211  13",
            "（·）王 3 13  1313 3",
            "abc 1 d12 k2  99",
            "焊工 welder 6-18-02-04",
            "杨阳 养老护理员 yang  13",
            "西安 xian xi'an 先",
            "1",
            "13",
            "  3",
            "",
            "x3y 33 z",
            // Digits between hanzi: a syllable's letters before and after.
            "王3芳 王32  3",
            "张三3李四13 陈32  321",
            // Syllables whose first letters run on (zh, ch, sh, ng, lv).
            "张长城 shang zhang 嗯绿 ZH  2",
            "中华人民共和国居民身份证号码一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒日月盈昃 3",
        ];
        let queries = [
            "3", "1", "13", "32", "3211", "321102", "1313", "x", "w", "k", "k20253", "d12", "k2", "99", "9", "z", "33",
            "ya", "yan", "yang", "yy", "an", "xian", "xa", "hg", "hangong", "wldr", "welder", "zpqg", "1yue", "gxq",
            "wf", "wangfang", "oyxy", "ouyang", "aa", "yanglao", "ylhly", "dy", "e", "c", "h", "s", "n", "g", "l", "v",
            "zh", "ch", "ng", "lv",
        ];
        for line in lines {
            let hay = Hay::new(line.to_string());
            // What follows a record in an arena (here: text holding every
            // query) is never read as the record's.
            let mut arena = hay.text.as_bytes().to_vec();
            arena.extend_from_slice(b" 3 13 321102 k20253 d12 99 33 1313 xwz yanglao xian hangong");
            for q in queries {
                let q = Query::parse(q);
                let t = &q.terms[0];
                assert!(runs_first(t), "{}", q.raw);
                let want = term_hit(&hay, t);
                for text in [hay.text.as_bytes(), &arena[..]] {
                    match run_verdict(&hay, text, &|| hay.line(), t) {
                        Verdict::Hit(s) => assert_eq!(Some(s), want, "{line} / {}", q.raw),
                        Verdict::Miss => assert_eq!(None, want, "{line} / {}", q.raw),
                        // Only a fuzzy term with no run may be left to the
                        // general path.
                        Verdict::Ask => assert!(!t.is_run(), "{line} / {}", q.raw),
                    }
                }
            }
        }
        // Only fuzzy terms of ASCII take the path.
        for q in ["'3", "^3", "3$", "!3", "!hg", "王", "^wf$"] {
            let q = Query::parse(q);
            assert!(!q.terms.iter().all(runs_first), "{}", q.raw);
        }
    }

    #[test]
    fn best_first_sorts_by_score_then_newest_at_any_size() {
        let mut rng = 12345u64;
        for n in [0, 1, 7, 1000, 2 * PARALLEL_FROM + 3] {
            let mut hits: Vec<Hit> = (0..n as u64)
                .map(|id| {
                    rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    Hit {
                        id,
                        score: (rng >> 58) as i64,
                    }
                })
                .collect();
            let mut want = hits.clone();
            want.sort_by(|a, b| b.score.cmp(&a.score).then(b.id.cmp(&a.id)));
            // In id order with few scores (the counting sort), and shuffled.
            let mut shuffled = hits.clone();
            shuffled.reverse();
            sort_best_first(&mut hits);
            assert_eq!(hits, want, "n = {n}");
            sort_best_first(&mut shuffled);
            assert_eq!(shuffled, want, "n = {n}, shuffled");
            // Scores too spread for counting.
            let mut wide: Vec<Hit> = want
                .iter()
                .map(|h| Hit {
                    id: h.id,
                    score: h.score * 100_000,
                })
                .collect();
            wide.sort_by_key(|h| h.id);
            sort_best_first(&mut wide);
            assert!(
                wide.windows(2).all(|w| (w[0].score, w[0].id) > (w[1].score, w[1].id)),
                "n = {n}, wide"
            );
        }
    }

    #[test]
    fn replaced_texts_leave_the_arena_when_they_are_half_of_it() {
        let mut ix = Index::new();
        for id in 0..100u64 {
            ix.upsert(id, Hay::new(format!("学员{id}  {:018}", id)));
        }
        // Rewrite one record until its old texts would outweigh the rest.
        let long = "焊".repeat(20_000);
        for round in 0..200u64 {
            ix.upsert(7, Hay::new(format!("{long}  r{round}")));
            assert!(
                ix.garbage * 2 <= ix.arena.len() || ix.garbage <= 1 << 20,
                "round {round}"
            );
        }
        assert!(ix.arena.len() < 4 << 20, "compacted: {} bytes", ix.arena.len());
        assert!(ix.get(7).unwrap().line().ends_with("  r199"));
        for id in (0..100u64).filter(|id| *id != 7) {
            assert_eq!(ix.get(id).unwrap().line(), format!("学员{id}  {:018}", id));
            let hits = ix
                .search(&Query::parse(&format!("{:018}", id)), None, &|| false)
                .unwrap();
            assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![id]);
        }
        let hits = ix.search(&Query::parse("r199$"), None, &|| false).unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![7]);
    }

    #[test]
    fn index_search_narrows_and_cancels() {
        let mut ix = Index::new();
        ix.upsert(1, Hay::new("焊工 丹阳".into()));
        ix.upsert(2, Hay::new("车工 丹阳".into()));
        ix.upsert(3, Hay::new("焊工 句容".into()));
        // Enough others that narrowing from two earlier results pays.
        for id in 10..20 {
            ix.upsert(id, Hay::new(format!("车工 {id}")));
        }
        let all = ix.search(&Query::parse("hg"), None, &|| false).unwrap();
        assert_eq!(all.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1, 3]);
        let ids: Vec<u64> = all.iter().map(|h| h.id).collect();
        let narrow = ix.search(&Query::parse("hg dy"), Some(&ids), &|| false).unwrap();
        assert_eq!(narrow.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1]);
        // Only the earlier results are looked at (a narrowing search trusts them).
        let only = ix.search(&Query::parse("车工"), Some(&[12, 3]), &|| false).unwrap();
        assert_eq!(only.iter().map(|h| h.id).collect::<Vec<_>>(), vec![12]);
        assert!(ix.search(&Query::parse("hg"), None, &|| true).is_none());
        ix.upsert(2, Hay::new("焊工 扬中".into()));
        assert_eq!(ix.search(&Query::parse("焊工"), None, &|| false).unwrap().len(), 3);
        // From most of the index, a narrowing search scans it all: same answer.
        let most: Vec<u64> = (10..20).chain([1, 2, 3]).collect();
        assert_eq!(
            ix.search(&Query::parse("车工"), Some(&most), &|| false).unwrap().len(),
            10
        );
    }

    #[test]
    fn narrowing_reads_the_earlier_places_while_the_order_holds() {
        let mut ix = Index::new();
        // Ids with room between them, over the threaded scan's size.
        for id in 0..3_000u64 {
            let trade = if id % 7 == 0 { "焊工" } else { "车工" };
            let town = if id % 2 == 0 { "丹阳" } else { "句容" };
            ix.upsert(id * 10, Hay::new(format!("{trade} {town} {:018}", id * 10)));
        }
        let ranked = |ix: &Index, q: &str, within: Option<(&[u64], Option<&Positions>)>| {
            ix.search_ranked_at(&Query::parse(q), within.map(|w| w.0), within.and_then(|w| w.1), &|| {
                false
            })
            .expect("not cancelled")
        };
        let (hg, at) = ranked(&ix, "hg", None);
        let at = at.expect("few enough to keep their places");
        assert_eq!(at.len(), hg.len());
        let whole = ranked(&ix, "hg dy", None).0;
        assert!(!whole.is_empty());
        assert_eq!(ranked(&ix, "hg dy", Some((&hg, Some(&at)))).0, whole);
        // Only the places are read: a wrong list of ids with the right
        // places still finds what the places hold (the two always come
        // from one search).
        let others: Vec<u64> = (0..hg.len() as u64).map(|i| i * 10 + 1).collect();
        assert_eq!(ranked(&ix, "hg dy", Some((&others, Some(&at)))).0, whole);
        // A record put between two others moves the places after it: they
        // are no longer read, the ids are.
        ix.upsert(5, Hay::new(format!("焊工 丹阳 {:018}", 5)));
        let moved = ranked(&ix, "hg dy", Some((&hg, Some(&at)))).0;
        assert_eq!(moved, whole, "narrowed from the ids, the new record is not among them");
        assert_eq!(ranked(&ix, "hg dy", Some((&others, Some(&at)))).0.len(), 0);
        // Many matches keep no places (a scan of everything is cheaper).
        assert!(ranked(&ix, "cg", None).1.is_none());
    }
}

#[cfg(test)]
mod pair_tests {
    use super::*;

    /// The pairs bloom drops no record that matches: every piece of every
    /// form of a line, as a run, exact, anchored or fuzzy, scores the same
    /// as against the same hay with every pair let through.
    #[test]
    fn the_pairs_bloom_never_changes_what_matches() {
        let lines = [
            "谢明  321102199312246574  15969878355  t20252",
            "装配钳工等级认定班（高新区·1月）  k20253  321102",
            "焊工 welder 电焊工 6-18-02-04 | Danyang",
            "ÉCOLE  x-1  A1b2",
            "王芳",
        ];
        let mut tried = 0;
        for line in lines {
            let hay = Hay::new(line.to_string());
            let mut open = hay.clone();
            open.pairs = [u64::MAX; 2];
            let forms = [
                hay.initials().into_owned(),
                hay.pinyin().into_owned(),
                line.to_lowercase(),
            ];
            for form in &forms {
                let chars: Vec<char> = form.chars().collect();
                for len in 1..=7 {
                    for w in chars.windows(len) {
                        let piece: String = w.iter().collect();
                        if piece.contains(' ') || !piece.is_ascii() {
                            continue;
                        }
                        for q in [
                            piece.clone(),
                            format!("'{piece}"),
                            format!("^{piece}"),
                            format!("{piece}$"),
                            format!("!{piece}"),
                            format!("{piece}q"),
                        ] {
                            let q = Query::parse(&q);
                            assert_eq!(score(&hay, &q), score(&open, &q), "{:?} in {line:?}", q.raw);
                            tried += 1;
                        }
                    }
                }
            }
        }
        assert!(tried > 1000, "{tried}");
    }

    #[test]
    fn a_missing_pair_drops_the_record_before_it_is_looked_at() {
        let hay = Hay::new("谢明  321102199312246574  15969878355".into());
        for q in ["139159", "hg", "'zz", "99x"] {
            let t = &Query::parse(q).terms[0];
            assert!(!hay.may_hold_run(t), "{q}");
            assert!(score(&hay, &Query::parse(q)).is_none(), "{q}");
        }
        assert!(hay.may_hold_run(&Query::parse("1996").terms[0]) || score(&hay, &Query::parse("1996")).is_none());
        assert!(hay.may_hold_run(&Query::parse("xm").terms[0]));
    }

    /// One character is looked for in the initials only (`forms_for`):
    /// the full pinyin, tried as well, never changes a score or a match,
    /// over lines of every shape the demo and the tests hold, for every
    /// ASCII character.
    #[test]
    fn one_character_scores_the_same_without_the_full_pinyin() {
        use super::hay::Form;
        let lines = [
            "谢明  321102199312246574  15969878355  t20252",
            "欧阳秀英  32110219931224657X",
            "装配钳工等级认定班（高新区·1月）  k20253  321102",
            "焊工 welder 电焊工 6-18-02-04 | Danyang",
            "张三 zhang 养老护理员 elder-care  O型",
            "安 恩 欧 鄂 阿 哦 绿 女  ou-yang",
            "ÉCOLE  x-1  A1b2",
            "  o  oo  o",
            "王芳",
            "",
        ];
        let mut compared = 0;
        for line in lines {
            let hay = Hay::new(line.to_string());
            for b in 0x21u8..0x7f {
                let q = Query::parse(&char::from(b).to_string());
                let Some(t) = q.terms.first() else { continue };
                assert_eq!(t.forms, &[Form::Initials], "{:?}", q.raw);
                let mut both = q.clone();
                both.terms[0].forms = &[Form::Initials, Form::Pinyin];
                assert_eq!(score(&hay, &q), score(&hay, &both), "{:?} in {line:?}", q.raw);
                assert_eq!(highlight(&hay, &q), highlight(&hay, &both), "{:?} in {line:?}", q.raw);
                compared += usize::from(score(&hay, &q).is_some());
            }
        }
        assert!(compared > 150, "{compared}");
    }
}
