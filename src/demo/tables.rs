//! The demo city's plan, as tables: industries and the trades they hire,
//! wages, programs, how the published posts and seats split across trades,
//! and the three project-based classes.

use crate::domain::*;
use crate::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Industry {
    Eyewear,
    Electrical,
    NewEnergy,
    NewMaterials,
    Aerospace,
    Biomedicine,
    Marine,
    Semiconductor,
    Software,
    Commerce,
    Logistics,
    Machinery,
    AutoParts,
    ElderCare,
    Agriculture,
    Tourism,
}

use Industry as In;

impl Industry {
    pub(super) const ALL: [Industry; 16] = [
        In::Eyewear,
        In::Electrical,
        In::NewEnergy,
        In::NewMaterials,
        In::Aerospace,
        In::Biomedicine,
        In::Marine,
        In::Semiconductor,
        In::Software,
        In::Commerce,
        In::Logistics,
        In::Machinery,
        In::AutoParts,
        In::ElderCare,
        In::Agriculture,
        In::Tourism,
    ];
    pub(super) fn zh(self) -> &'static str {
        match self {
            In::Eyewear => "眼镜制造",
            In::Electrical => "电力装备",
            In::NewEnergy => "新能源",
            In::NewMaterials => "新材料",
            In::Aerospace => "航空航天零部件",
            In::Biomedicine => "生物医药",
            In::Marine => "船舶海工",
            In::Semiconductor => "半导体",
            In::Software => "软件信息",
            In::Commerce => "商贸服务",
            In::Logistics => "物流",
            In::Machinery => "机械制造",
            In::AutoParts => "汽车零部件",
            In::ElderCare => "养老服务",
            In::Agriculture => "现代农业",
            In::Tourism => "文旅",
        }
    }
    pub(super) fn suffix(self) -> &'static str {
        match self {
            In::Eyewear => "光学眼镜有限公司",
            In::Electrical => "电气有限公司",
            In::NewEnergy => "新能源科技有限公司",
            In::NewMaterials => "新材料有限公司",
            In::Aerospace => "航空部件有限公司",
            In::Biomedicine => "生物医药有限公司",
            In::Marine => "船舶重工有限公司",
            In::Semiconductor => "半导体有限公司",
            In::Software => "信息技术有限公司",
            In::Commerce => "商贸有限公司",
            In::Logistics => "物流有限公司",
            In::Machinery => "机械有限公司",
            In::AutoParts => "汽车部件有限公司",
            In::ElderCare => "颐养院",
            In::Agriculture => "农业发展有限公司",
            In::Tourism => "文旅发展有限公司",
        }
    }
    pub(super) fn alliance(self) -> Option<AllianceId> {
        Some(AllianceId(match self {
            In::Eyewear => 0,
            In::Marine => 1,
            In::Software => 2,
            In::Electrical | In::NewEnergy => 3,
            In::NewMaterials => 4,
            In::Aerospace => 5,
            In::Semiconductor => 6,
            In::ElderCare => 7,
            _ => return None,
        }))
    }
    /// Where such firms sit (region ids).
    pub(super) fn regions(self) -> &'static [u8] {
        match self {
            In::Eyewear => &[3],
            In::Electrical => &[4, 4, 6],
            In::NewEnergy => &[6, 4],
            In::NewMaterials | In::Aerospace | In::Biomedicine => &[6],
            In::Marine | In::Semiconductor => &[7],
            In::Software => &[0, 7, 1],
            In::Commerce | In::Logistics => &[0, 1, 2],
            In::Machinery | In::AutoParts => &[2, 3, 6, 5],
            In::ElderCare => &[0, 1, 2, 3, 4, 5, 6, 7],
            In::Agriculture | In::Tourism => &[5, 2],
        }
    }
}

/// Industries that post demands for an occupation.
pub(super) fn industries_for(occ: u16) -> &'static [Industry] {
    pub(super) const MANUFACTURING: &[Industry] = &[
        In::Eyewear,
        In::Electrical,
        In::NewEnergy,
        In::NewMaterials,
        In::Aerospace,
        In::Biomedicine,
        In::Marine,
        In::Semiconductor,
        In::Machinery,
        In::AutoParts,
    ];
    match occ {
        0 => MANUFACTURING,
        1 => &[In::Machinery, In::AutoParts, In::Electrical, In::Aerospace, In::Marine],
        2 | 8 => &[In::Machinery, In::AutoParts, In::Aerospace, In::Electrical],
        3 => &[In::Marine, In::Machinery, In::Electrical, In::NewEnergy],
        4 | 11 | 13 => &[In::ElderCare],
        5 => &[In::Electrical, In::NewEnergy, In::Logistics, In::Machinery],
        6 => &[In::Commerce, In::Tourism, In::ElderCare],
        7 | 10 => &[In::Eyewear],
        9 => &[In::Machinery, In::NewMaterials, In::Biomedicine],
        12 => &[In::Marine],
        14 => &[In::Semiconductor],
        15 => &[In::Software, In::Agriculture, In::Eyewear, In::Commerce],
        _ => &[
            In::Machinery,
            In::Electrical,
            In::NewEnergy,
            In::Aerospace,
            In::Marine,
            In::Semiconductor,
            In::Software,
            In::Biomedicine,
        ],
    }
}

pub(super) fn wage_base(occ: u16) -> u32 {
    match occ {
        0 | 4 | 10 => 4_500,
        6 | 7 | 15 => 5_000,
        1 => 5_500,
        2 | 5 | 8 | 9 | 11 | 14 => 6_000,
        3 | 12 => 6_500,
        13 => 4_200,
        _ => 8_000,
    }
}

pub(super) fn program_for(rng: &mut Rng, occ: u16) -> ProgramId {
    if rng.chance(0.2) {
        return ProgramId(0);
    }
    ProgramId(match occ {
        4 | 11 | 13 => *rng.pick(&[7, 7, 4]),
        6 => 4,
        15 => *rng.pick(&[6, 5]),
        7 | 10 => 3,
        14 => 2,
        12 => 1,
        _ => *rng.pick(&[1, 3, 2]),
    })
}

/// Skilled posts per trade: the five most demanded first, as the article ranks them.
pub(super) const SKILLED_SPLIT: [(u16, u32); 16] = [
    (0, 330),
    (1, 190),
    (2, 160),
    (3, 150),
    (4, 130),
    (5, 35),
    (6, 35),
    (7, 35),
    (8, 35),
    (9, 35),
    (10, 35),
    (11, 35),
    (12, 35),
    (13, 35),
    (14, 35),
    (15, 35),
];
pub(super) const TM_SPLIT: [(u16, u32); 4] = [(16, 180), (17, 160), (18, 140), (19, 131)];

/// Class trades and their weights on the menu.
pub(super) const CLASS_TRADES: [(u16, u32); 16] = [
    (0, 14),
    (1, 12),
    (2, 10),
    (3, 12),
    (4, 12),
    (5, 8),
    (6, 5),
    (7, 4),
    (8, 4),
    (9, 4),
    (10, 3),
    (11, 4),
    (12, 3),
    (13, 4),
    (14, 3),
    (15, 6),
];

/// The 3 project-based classes: trade, seats, start, end, and the posts of
/// their linked demands per enterprise (12 enterprises, 88 posts).
pub(super) struct ProjectPlan {
    pub(super) occ: u16,
    pub(super) seats: u32,
    pub(super) start: (u32, u32),
    pub(super) end: (u32, u32),
    pub(super) program: u8,
    pub(super) posts: &'static [u32],
    pub(super) industries: &'static [Industry],
}

pub(super) const PROJECTS: [ProjectPlan; 3] = [
    ProjectPlan {
        occ: 3,
        seats: 36,
        start: (8, 18),
        end: (9, 30),
        program: 1,
        posts: &[8, 7, 6, 5, 4],
        industries: &[In::Marine, In::Machinery, In::Electrical, In::NewEnergy],
    },
    ProjectPlan {
        occ: 1,
        seats: 34,
        start: (9, 15),
        end: (11, 15),
        program: 1,
        posts: &[9, 8, 6, 5],
        industries: &[In::Machinery, In::AutoParts, In::Aerospace, In::Electrical],
    },
    ProjectPlan {
        occ: 4,
        seats: 32,
        start: (11, 3),
        end: (12, 20),
        program: 7,
        posts: &[12, 10, 8],
        industries: &[In::ElderCare],
    },
];
