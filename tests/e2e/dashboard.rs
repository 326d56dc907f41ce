//! The dashboard in the real binary in a real terminal (tmux): F3 opens it,
//! the map answers the arrows and Enter filters the lists by the district.

use crate::common;

use common::tmux::*;

#[test]
fn f3_map_arrows_enter_filters_then_quit() {
    require_tmux();
    let dir = tempfile::tempdir().unwrap();
    let db = common::demo_city(dir.path(), 800);
    let cmd = format!("{} demo --db {} --operator e2e", bin(), shell_quote(&db));
    let t = Tmux::start("dashboard", &cmd, 120, 40);
    t.wait_for("岗位需求");
    t.keys(&["F3"]);
    let s = t.wait_for("目标与数据看板");
    assert!(s.contains("补贴性培训") && s.contains("按进度应达"), "{s}");
    t.keys(&["4"]);
    t.wait_for("◉ 京口");
    t.keys(&["Right"]);
    t.wait_for("镇江新区");
    t.keys(&["Enter"]);
    let s = t.wait_for("列表已按区域筛选：镇江新区");
    assert!(s.contains("筛选:区域=镇江新区"), "{s}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0");
}
