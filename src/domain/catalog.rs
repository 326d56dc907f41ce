//! Reference data that ships with the program: the 8 regions of the city,
//! the occupation catalogue, the 8 special programs, the 8 regional
//! alliances, key groups and skill levels. Identifiers are indexes that are
//! only ever appended to, so stored records keep their meaning.

use serde::{Deserialize, Serialize};

/// How a region code was assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeKind {
    /// GB/T 2260 administrative division code.
    Official,
    /// A statistical code (functional zone, not an administrative division).
    Statistical,
    /// No national code exists; local to skillbridge.
    Local,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RegionId(pub u8);

#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub id: RegionId,
    pub code: &'static str,
    pub code_kind: CodeKind,
    pub zh: &'static str,
    pub short_zh: &'static str,
    pub en: &'static str,
    /// Leading industries, as the article names them.
    pub industries: &'static str,
    /// Approximate longitude / latitude of the district seat, for the map.
    pub lon: f64,
    pub lat: f64,
    /// Retired: hidden from pickers and the kiosk, kept for the records that name it.
    pub retired: bool,
}

/// Zhenjiang's regions as compiled into the program before city packs: the
/// catalog a database without pack trees was written against.
static ZJ_REGIONS: [Region; 8] = [
    Region {
        id: RegionId(0),
        code: "321102",
        code_kind: CodeKind::Official,
        zh: "京口区",
        short_zh: "京口",
        en: "Jingkou District",
        industries: "commerce, services",
        lon: 119.47,
        lat: 32.20,
        retired: false,
    },
    Region {
        id: RegionId(1),
        code: "321111",
        code_kind: CodeKind::Official,
        zh: "润州区",
        short_zh: "润州",
        en: "Runzhou District",
        industries: "services, logistics",
        lon: 119.41,
        lat: 32.19,
        retired: false,
    },
    Region {
        id: RegionId(2),
        code: "321112",
        code_kind: CodeKind::Official,
        zh: "丹徒区",
        short_zh: "丹徒",
        en: "Dantu District",
        industries: "manufacturing, agriculture",
        lon: 119.43,
        lat: 32.10,
        retired: false,
    },
    Region {
        id: RegionId(3),
        code: "321181",
        code_kind: CodeKind::Official,
        zh: "丹阳市",
        short_zh: "丹阳",
        en: "Danyang",
        industries: "eyewear (about 75% of China's lenses)",
        lon: 119.61,
        lat: 32.00,
        retired: false,
    },
    Region {
        id: RegionId(4),
        code: "321182",
        code_kind: CodeKind::Official,
        zh: "扬中市",
        short_zh: "扬中",
        en: "Yangzhong",
        industries: "electrical equipment, new energy",
        lon: 119.80,
        lat: 32.24,
        retired: false,
    },
    Region {
        id: RegionId(5),
        code: "321183",
        code_kind: CodeKind::Official,
        zh: "句容市",
        short_zh: "句容",
        en: "Jurong",
        industries: "agriculture, tourism, rural revitalization",
        lon: 119.17,
        lat: 31.95,
        retired: false,
    },
    Region {
        id: RegionId(6),
        code: "321171",
        code_kind: CodeKind::Statistical,
        zh: "镇江新区",
        short_zh: "新区",
        en: "Zhenjiang New Area",
        industries: "new energy, new materials, aerospace parts, biomedicine",
        lon: 119.69,
        lat: 32.18,
        retired: false,
    },
    Region {
        id: RegionId(7),
        code: "ZJGX01",
        code_kind: CodeKind::Local,
        zh: "镇江高新区",
        short_zh: "高新区",
        en: "Zhenjiang Hi-tech Zone",
        industries: "ships and marine equipment, semiconductors, digital",
        lon: 119.36,
        lat: 32.22,
        retired: false,
    },
];

impl RegionId {
    pub fn get(self) -> Option<&'static Region> {
        REGIONS.get(self.0 as usize)
    }
    pub fn zh(self) -> &'static str {
        self.get().map(|r| r.zh).unwrap_or("?")
    }
    pub fn en(self) -> &'static str {
        self.get().map(|r| r.en).unwrap_or("?")
    }
    pub fn all() -> impl Iterator<Item = RegionId> {
        REGIONS.iter().map(|r| r.id)
    }
}

/// Editions of the national occupation classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edition {
    E1999,
    E2015,
    E2022,
}

impl Edition {
    pub fn label(self) -> &'static str {
        match self {
            Edition::E1999 => "1999",
            Edition::E2015 => "2015",
            Edition::E2022 => "2022",
        }
    }
}

/// Skilled posts versus technical-management posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PostKind {
    Skilled,
    TechnicalManagement,
}

impl PostKind {
    pub fn zh(self) -> &'static str {
        match self {
            PostKind::Skilled => "技能岗",
            PostKind::TechnicalManagement => "技术管理岗",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            PostKind::Skilled => "skilled",
            PostKind::TechnicalManagement => "technical-management",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OccupationId(pub u16);

#[derive(Debug, Clone, Copy)]
pub struct Occupation {
    pub id: OccupationId,
    pub zh: &'static str,
    pub en: &'static str,
    pub aliases: &'static [&'static str],
    /// National classification code, only where known; never guessed.
    pub code: Option<(&'static str, Edition)>,
    /// The classification group the occupation sits in, where known.
    pub group: Option<&'static str>,
    pub kind: PostKind,
    /// Declared related occupations (a class for one serves a demand for the other).
    pub related: &'static [u16],
    /// Retired: hidden from pickers and the kiosk, kept for the records that name it.
    pub retired: bool,
}

#[allow(clippy::too_many_arguments)] // a table row: one argument per column
const fn occ(
    id: u16,
    zh: &'static str,
    en: &'static str,
    aliases: &'static [&'static str],
    code: Option<(&'static str, Edition)>,
    group: Option<&'static str>,
    kind: PostKind,
    related: &'static [u16],
) -> Occupation {
    Occupation {
        id: OccupationId(id),
        zh,
        en,
        aliases,
        code,
        group,
        kind,
        related,
        retired: false,
    }
}

use Edition::E2015;
use PostKind::{Skilled, TechnicalManagement as Tm};

static ZJ_OCCUPATIONS: [Occupation; 20] = [
    occ(
        0,
        "一线技能操作工",
        "frontline skilled operator",
        &["普工", "操作工"],
        None,
        None,
        Skilled,
        &[],
    ),
    occ(1, "装配钳工", "assembly fitter", &["钳工"], None, None, Skilled, &[9]),
    occ(
        2,
        "车工",
        "lathe turner",
        &["数控车工", "CNC"],
        None,
        Some("6-18-01"),
        Skilled,
        &[8],
    ),
    occ(
        3,
        "焊工",
        "welder",
        &["电焊工", "电焊", "氩弧焊"],
        Some(("6-18-02-04", E2015)),
        None,
        Skilled,
        &[12],
    ),
    occ(
        4,
        "养老护理员",
        "elder-care worker",
        &["护理员", "护工"],
        None,
        None,
        Skilled,
        &[11],
    ),
    occ(
        5,
        "电工",
        "electrician",
        &["维修电工"],
        Some(("6-31-01-03", E2015)),
        None,
        Skilled,
        &[],
    ),
    occ(
        6,
        "中式烹调师",
        "Chinese cook",
        &["厨师"],
        Some(("4-03-02-01", E2015)),
        None,
        Skilled,
        &[],
    ),
    occ(
        7,
        "眼镜验光员",
        "optometric technician",
        &["验光员", "验光"],
        None,
        None,
        Skilled,
        &[10],
    ),
    occ(
        8,
        "铣工",
        "milling machinist",
        &["数控铣工"],
        None,
        Some("6-18-01"),
        Skilled,
        &[2],
    ),
    occ(
        9,
        "机修钳工",
        "maintenance fitter",
        &["设备维修"],
        None,
        None,
        Skilled,
        &[1],
    ),
    occ(
        10,
        "眼镜定配工",
        "spectacle lens fitter",
        &["配镜", "眼镜加工"],
        None,
        None,
        Skilled,
        &[7],
    ),
    occ(
        11,
        "育婴员",
        "infant-care worker",
        &["月嫂", "育婴师"],
        None,
        None,
        Skilled,
        &[4, 13],
    ),
    occ(
        12,
        "船体装配工",
        "hull assembler",
        &["船舶装配", "海工"],
        None,
        None,
        Skilled,
        &[3],
    ),
    occ(
        13,
        "家政服务员",
        "domestic service worker",
        &["家政", "保洁"],
        None,
        None,
        Skilled,
        &[11],
    ),
    occ(
        14,
        "半导体芯片制造工",
        "semiconductor chip fabrication worker",
        &["芯片", "晶圆"],
        None,
        None,
        Skilled,
        &[],
    ),
    occ(
        15,
        "电子商务师",
        "e-commerce specialist",
        &["电商", "直播销售"],
        None,
        None,
        Skilled,
        &[],
    ),
    occ(
        16,
        "机械工程技术人员",
        "mechanical engineering technician",
        &["机械工程师"],
        None,
        None,
        Tm,
        &[19],
    ),
    occ(
        17,
        "电气工程技术人员",
        "electrical engineering technician",
        &["电气工程师"],
        None,
        None,
        Tm,
        &[],
    ),
    occ(
        18,
        "质量管理工程技术人员",
        "quality management engineer",
        &["质量工程师", "QA"],
        None,
        None,
        Tm,
        &[],
    ),
    occ(
        19,
        "工业工程技术人员",
        "industrial engineering technician",
        &["IE", "生产管理"],
        None,
        None,
        Tm,
        &[16],
    ),
];

impl OccupationId {
    pub fn get(self) -> Option<&'static Occupation> {
        OCCUPATIONS.get(self.0 as usize)
    }
    pub fn zh(self) -> &'static str {
        self.get().map(|o| o.zh).unwrap_or("?")
    }
    pub fn en(self) -> &'static str {
        self.get().map(|o| o.en).unwrap_or("?")
    }
    pub fn all() -> impl Iterator<Item = OccupationId> {
        OCCUPATIONS.iter().map(|o| o.id)
    }
    /// Same occupation or a declared related one.
    pub fn relation_to(self, other: OccupationId) -> Option<Relation> {
        if self == other {
            return Some(Relation::Same);
        }
        let o = self.get()?;
        if o.related.contains(&other.0) || other.get()?.related.contains(&self.0) {
            Some(Relation::Related)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Same,
    Related,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProgramId(pub u8);

#[derive(Debug, Clone, Copy)]
pub struct Program {
    pub id: ProgramId,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The 8 special programs. The article names six (key groups, skill-strong
/// enterprises, emerging industries, traditional industries, services, rural
/// revitalization); the last two are this project's assumption, taken from
/// fields the article stresses (digital skills, elder and child care).
static ZJ_PROGRAMS: [Program; 8] = [
    Program {
        id: ProgramId(0),
        zh: "重点群体技能培训专项",
        en: "Key groups",
    },
    Program {
        id: ProgramId(1),
        zh: "技能强企专项",
        en: "Skill-strong enterprises",
    },
    Program {
        id: ProgramId(2),
        zh: "新兴产业专项",
        en: "Emerging industries",
    },
    Program {
        id: ProgramId(3),
        zh: "传统产业专项",
        en: "Traditional industries",
    },
    Program {
        id: ProgramId(4),
        zh: "服务业专项",
        en: "Services",
    },
    Program {
        id: ProgramId(5),
        zh: "乡村振兴专项",
        en: "Rural revitalization",
    },
    Program {
        id: ProgramId(6),
        zh: "数字技能专项",
        en: "Digital skills",
    },
    Program {
        id: ProgramId(7),
        zh: "康养托育专项",
        en: "Elder and child care",
    },
];

impl ProgramId {
    pub fn get(self) -> Option<&'static Program> {
        PROGRAMS.get(self.0 as usize)
    }
    pub fn zh(self) -> &'static str {
        self.get().map(|p| p.zh).unwrap_or("?")
    }
    pub fn en(self) -> &'static str {
        self.get().map(|p| p.en).unwrap_or("?")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AllianceId(pub u8);

#[derive(Debug, Clone, Copy)]
pub struct Alliance {
    pub id: AllianceId,
    pub zh: &'static str,
    pub en: &'static str,
    pub region: RegionId,
}

/// The 8 regional training alliances around leading industries. The article
/// names eyewear, marine engineering equipment and digital skills; the rest
/// follow the leading industries it lists per district.
static ZJ_ALLIANCES: [Alliance; 8] = [
    Alliance {
        id: AllianceId(0),
        zh: "眼镜产业职业培训联盟",
        en: "Eyewear",
        region: RegionId(3),
    },
    Alliance {
        id: AllianceId(1),
        zh: "海工装备职业培训联盟",
        en: "Marine engineering equipment",
        region: RegionId(7),
    },
    Alliance {
        id: AllianceId(2),
        zh: "数字技能职业培训联盟",
        en: "Digital skills",
        region: RegionId(0),
    },
    Alliance {
        id: AllianceId(3),
        zh: "电力装备与新能源职业培训联盟",
        en: "Electrical equipment and new energy",
        region: RegionId(4),
    },
    Alliance {
        id: AllianceId(4),
        zh: "新材料职业培训联盟",
        en: "New materials",
        region: RegionId(6),
    },
    Alliance {
        id: AllianceId(5),
        zh: "航空航天零部件职业培训联盟",
        en: "Aerospace parts",
        region: RegionId(6),
    },
    Alliance {
        id: AllianceId(6),
        zh: "半导体职业培训联盟",
        en: "Semiconductors",
        region: RegionId(7),
    },
    Alliance {
        id: AllianceId(7),
        zh: "康养服务职业培训联盟",
        en: "Elder care services",
        region: RegionId(5),
    },
];

impl AllianceId {
    pub fn get(self) -> Option<&'static Alliance> {
        ALLIANCES.get(self.0 as usize)
    }
    pub fn zh(self) -> &'static str {
        self.get().map(|a| a.zh).unwrap_or("?")
    }
    pub fn en(self) -> &'static str {
        self.get().map(|a| a.en).unwrap_or("?")
    }
}

/// The default key groups (重点群体). The article names graduating college
/// students and rural migrant workers among six; the national campaign names
/// registered unemployed and people with employment difficulties. The list is
/// a setting: trainees store the group's text.
const ZJ_KEY_GROUPS: [(&str, &str); 6] = [
    ("毕业学年高校毕业生", "graduating college student"),
    ("农村转移劳动者", "rural migrant worker"),
    ("登记失业人员", "registered unemployed"),
    ("就业困难人员", "person with employment difficulties"),
    ("退役军人", "veteran"),
    ("脱贫人口", "person lifted out of poverty"),
];

/// The published baseline the figures start from (a city pack's `[baseline]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Skilled talents at the baseline date.
    pub skilled: u64,
    /// High-skill talents at the baseline date.
    pub high_skill: u64,
    /// The published high-skill talents per 10,000 workers.
    pub per_10k: f64,
    /// The labor force the per-10,000 figure divides by, unless a database sets its own.
    pub labor_force: u64,
}

/// The campaign's goals (a city pack's `[targets]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub subsidized: u64,
    pub skilled: u64,
    pub high_skill: u64,
    pub per_10k: f64,
}

/// The city a catalog belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct City {
    pub zh: &'static str,
    pub en: &'static str,
    /// A sample pack (not a real city's data).
    pub sample: bool,
}

/// One city's reference data, as the running program uses it: what a city
/// pack holds, with every text leaked to `'static` (a reference table is
/// small and changes rarely, and a record's screen may still hold the
/// text of the catalog it was drawn with).
#[derive(Debug)]
pub struct Catalog {
    pub city: City,
    pub regions: Vec<Region>,
    pub occupations: Vec<Occupation>,
    pub programs: Vec<Program>,
    pub alliances: Vec<Alliance>,
    pub key_groups: Vec<(&'static str, &'static str)>,
    pub baseline: Baseline,
    pub targets: Targets,
    /// Per occupation, its hidden search text (English, aliases, code, group).
    hidden: std::sync::OnceLock<Vec<String>>,
}

impl Catalog {
    /// Assemble a catalog (the pack loader and the store call this).
    #[allow(clippy::too_many_arguments)] // one argument per part of a pack
    pub fn new(
        city: City,
        regions: Vec<Region>,
        occupations: Vec<Occupation>,
        programs: Vec<Program>,
        alliances: Vec<Alliance>,
        key_groups: Vec<(&'static str, &'static str)>,
        baseline: Baseline,
        targets: Targets,
    ) -> Catalog {
        Catalog {
            city,
            regions,
            occupations,
            programs,
            alliances,
            key_groups,
            baseline,
            targets,
            hidden: std::sync::OnceLock::new(),
        }
    }

    /// Zhenjiang as compiled into the program: what every database made
    /// before city packs was written against, and the default.
    pub fn zhenjiang() -> &'static Catalog {
        static ZJ: std::sync::OnceLock<Catalog> = std::sync::OnceLock::new();
        ZJ.get_or_init(|| {
            Catalog::new(
                City {
                    zh: "镇江市",
                    en: "Zhenjiang",
                    sample: false,
                },
                ZJ_REGIONS.to_vec(),
                ZJ_OCCUPATIONS.to_vec(),
                ZJ_PROGRAMS.to_vec(),
                ZJ_ALLIANCES.to_vec(),
                ZJ_KEY_GROUPS.to_vec(),
                Baseline {
                    skilled: 657_000,
                    high_skill: 226_300,
                    per_10k: 1_132.0,
                    labor_force: 2_000_000,
                },
                Targets {
                    subsidized: 80_000,
                    skilled: 60_000,
                    high_skill: 15_000,
                    per_10k: 1_200.0,
                },
            )
        })
    }

    /// An occupation's hidden search text: English name, aliases, national
    /// code and group (made once per catalog).
    pub fn occupation_search_text(&self, id: OccupationId) -> &str {
        let texts = self.hidden.get_or_init(|| {
            self.occupations
                .iter()
                .map(|o| {
                    let mut s = format!("{} {}", o.en, o.aliases.join(" "));
                    if let Some((code, _)) = o.code {
                        s.push(' ');
                        s.push_str(code);
                    }
                    if let Some(g) = o.group {
                        s.push(' ');
                        s.push_str(g);
                    }
                    s
                })
                .collect()
        });
        texts.get(id.0 as usize).map(String::as_str).unwrap_or("")
    }

    /// Same content (the search cache is not content).
    pub fn same_as(&self, other: &Catalog) -> bool {
        fn regions_eq(a: &Region, b: &Region) -> bool {
            (
                a.id,
                a.code,
                a.code_kind,
                a.zh,
                a.short_zh,
                a.en,
                a.industries,
                a.retired,
            ) == (
                b.id,
                b.code,
                b.code_kind,
                b.zh,
                b.short_zh,
                b.en,
                b.industries,
                b.retired,
            ) && a.lon.to_bits() == b.lon.to_bits()
                && a.lat.to_bits() == b.lat.to_bits()
        }
        fn occ_eq(a: &Occupation, b: &Occupation) -> bool {
            (
                a.id, a.zh, a.en, a.aliases, a.code, a.group, a.kind, a.related, a.retired,
            ) == (
                b.id, b.zh, b.en, b.aliases, b.code, b.group, b.kind, b.related, b.retired,
            )
        }
        self.city == other.city
            && self.regions.len() == other.regions.len()
            && self.regions.iter().zip(&other.regions).all(|(a, b)| regions_eq(a, b))
            && self.occupations.len() == other.occupations.len()
            && self
                .occupations
                .iter()
                .zip(&other.occupations)
                .all(|(a, b)| occ_eq(a, b))
            && self.programs.len() == other.programs.len()
            && self
                .programs
                .iter()
                .zip(&other.programs)
                .all(|(a, b)| (a.id, a.zh, a.en) == (b.id, b.zh, b.en))
            && self.alliances.len() == other.alliances.len()
            && self
                .alliances
                .iter()
                .zip(&other.alliances)
                .all(|(a, b)| (a.id, a.zh, a.en, a.region) == (b.id, b.zh, b.en, b.region))
            && self.key_groups == other.key_groups
            && self.baseline == other.baseline
            && self.targets == other.targets
    }
}

/// The installed catalog; null until one is installed (then Zhenjiang's).
static INSTALLED: std::sync::atomic::AtomicPtr<Catalog> = std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());
/// Grows with every install that changed something (screens that keep
/// lists drawn from the catalog compare it).
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The catalog this process runs with: the one the open database holds
/// (installed when it was opened or changed), else Zhenjiang's.
pub fn current() -> &'static Catalog {
    let p = INSTALLED.load(std::sync::atomic::Ordering::Acquire);
    if p.is_null() {
        Catalog::zhenjiang()
    } else {
        // SAFETY: every non-null pointer stored is a leaked Box, never freed.
        unsafe { &*p }
    }
}

/// Make `catalog` the process's catalog, unless it has the same content
/// as the current one. Returns true when it changed. The old one is
/// leaked, never freed: what was drawn from it stays valid.
pub fn install(catalog: Catalog) -> bool {
    if current().same_as(&catalog) {
        return false;
    }
    let leaked: &'static mut Catalog = Box::leak(Box::new(catalog));
    INSTALLED.store(leaked, std::sync::atomic::Ordering::Release);
    GENERATION.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    true
}

/// Grows with every install that changed the catalog.
pub fn generation() -> u64 {
    GENERATION.load(std::sync::atomic::Ordering::Acquire)
}

/// Leak a text for a catalog entry.
pub fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// A table of the installed catalog, read as a slice: `REGIONS.iter()`,
/// `REGIONS.len()`, `REGIONS.get(i)` read whatever catalog is installed now.
pub struct Table<T: 'static>(fn(&'static Catalog) -> &'static [T]);

impl<T: 'static> std::ops::Deref for Table<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        (self.0)(current())
    }
}

/// The regions of the installed catalog (see [`regions`]).
pub static REGIONS: Table<Region> = Table(|c| c.regions.as_slice());
/// The occupations of the installed catalog (see [`occupations`]).
pub static OCCUPATIONS: Table<Occupation> = Table(|c| c.occupations.as_slice());
/// The special programs of the installed catalog (see [`programs`]).
pub static PROGRAMS: Table<Program> = Table(|c| c.programs.as_slice());
/// The training alliances of the installed catalog (see [`alliances`]).
pub static ALLIANCES: Table<Alliance> = Table(|c| c.alliances.as_slice());
/// The key groups (重点群体) of the installed catalog, Chinese and English.
/// Trainees store the group's text.
pub static DEFAULT_KEY_GROUPS: Table<(&'static str, &'static str)> = Table(|c| c.key_groups.as_slice());

/// Every region of the installed catalog, retired ones included.
pub fn regions() -> &'static [Region] {
    &current().regions
}
/// Every occupation of the installed catalog, retired ones included.
pub fn occupations() -> &'static [Occupation] {
    &current().occupations
}
pub fn programs() -> &'static [Program] {
    &current().programs
}
pub fn alliances() -> &'static [Alliance] {
    &current().alliances
}
pub fn key_groups() -> &'static [(&'static str, &'static str)] {
    &current().key_groups
}
/// The regions a picker offers: not retired.
pub fn active_regions() -> impl Iterator<Item = &'static Region> {
    regions().iter().filter(|r| !r.retired)
}
/// The occupations a picker offers: not retired.
pub fn active_occupations() -> impl Iterator<Item = &'static Occupation> {
    occupations().iter().filter(|o| !o.retired)
}

/// National vocational skill levels; a lower number is a higher level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SkillLevel {
    /// 一级 / 高级技师
    L1 = 1,
    /// 二级 / 技师
    L2 = 2,
    /// 三级 / 高级工
    L3 = 3,
    /// 四级 / 中级工
    L4 = 4,
    /// 五级 / 初级工
    L5 = 5,
}

impl SkillLevel {
    pub const ALL: [SkillLevel; 5] = [
        SkillLevel::L5,
        SkillLevel::L4,
        SkillLevel::L3,
        SkillLevel::L2,
        SkillLevel::L1,
    ];
    pub fn number(self) -> u8 {
        self as u8
    }
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(SkillLevel::L1),
            2 => Some(SkillLevel::L2),
            3 => Some(SkillLevel::L3),
            4 => Some(SkillLevel::L4),
            5 => Some(SkillLevel::L5),
            _ => None,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            SkillLevel::L5 => "五级/初级工",
            SkillLevel::L4 => "四级/中级工",
            SkillLevel::L3 => "三级/高级工",
            SkillLevel::L2 => "二级/技师",
            SkillLevel::L1 => "一级/高级技师",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            SkillLevel::L5 => "level 5 / junior",
            SkillLevel::L4 => "level 4 / intermediate",
            SkillLevel::L3 => "level 3 / senior",
            SkillLevel::L2 => "level 2 / technician",
            SkillLevel::L1 => "level 1 / senior technician",
        }
    }
    /// High-skill talent: 三级/高级工 and above.
    pub fn is_high_skill(self) -> bool {
        self <= SkillLevel::L3
    }
    /// 二级 and 一级 also need a panel review.
    pub fn needs_panel(self) -> bool {
        self <= SkillLevel::L2
    }
    /// `self` is at least as high as `required`.
    pub fn meets(self, required: SkillLevel) -> bool {
        self <= required
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_positions() {
        for (i, r) in REGIONS.iter().enumerate() {
            assert_eq!(r.id.0 as usize, i);
        }
        for (i, o) in OCCUPATIONS.iter().enumerate() {
            assert_eq!(o.id.0 as usize, i);
            for r in o.related {
                assert!((*r as usize) < OCCUPATIONS.len());
            }
        }
        for (i, p) in PROGRAMS.iter().enumerate() {
            assert_eq!(p.id.0 as usize, i);
        }
        for (i, a) in ALLIANCES.iter().enumerate() {
            assert_eq!(a.id.0 as usize, i);
        }
    }

    #[test]
    fn levels_order() {
        assert!(SkillLevel::L3.is_high_skill());
        assert!(!SkillLevel::L4.is_high_skill());
        assert!(SkillLevel::L1.needs_panel());
        assert!(!SkillLevel::L3.needs_panel());
        assert!(SkillLevel::L2.meets(SkillLevel::L4));
        assert!(!SkillLevel::L5.meets(SkillLevel::L4));
    }

    #[test]
    fn related_is_symmetric_lookup() {
        assert_eq!(OccupationId(1).relation_to(OccupationId(9)), Some(Relation::Related));
        assert_eq!(OccupationId(9).relation_to(OccupationId(1)), Some(Relation::Related));
        assert_eq!(OccupationId(3).relation_to(OccupationId(3)), Some(Relation::Same));
        assert_eq!(OccupationId(3).relation_to(OccupationId(4)), None);
    }
}
