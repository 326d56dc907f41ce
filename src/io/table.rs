//! A file as rows of text cells: CSV (UTF-8 with or without a BOM, else
//! GB18030, which covers GBK and GB2312 as Chinese Excel writes them), `.xlsx`
//! (the first sheet or the one `--sheet` names; merged cells filled with
//! their value; a title row above the header and a two-row header under
//! merged cells are recognized) and JSON (an array of objects, as `export
//! --format json` writes).
//!
//! Every reader is bounded ([`Limits`]): the file's size, what a workbook
//! unpacks to, the number of cells and the last row and column that hold a
//! value are checked before anything of that size is allocated, and a file
//! above a limit is refused naming the limit and the place. A workbook is
//! read cell by cell, never as the rectangle its used range spans (one value
//! in XFD1048576 once cost 549 GB).

use super::columns;
use crate::domain::Kind;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Rows scanned for the header row.
const HEADER_SCAN: usize = 10;

/// How much of a file a reader takes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file itself.
    pub file_bytes: u64,
    /// Bytes every part of a workbook unpacks to, together.
    pub unpacked_bytes: u64,
    /// Cells the file holds (a workbook's cells as written, empty or not).
    pub cells: u64,
    /// The last row that may hold a value (1-based, as a spreadsheet shows it).
    pub rows: u32,
    /// The last column that may hold a value (1-based: 256 is IV).
    pub columns: u32,
}

impl Limits {
    /// For the command line: far more than a city's spreadsheets, still a
    /// bound on what one file can make the process allocate.
    pub const COMMAND_LINE: Limits = Limits {
        file_bytes: 512 * 1024 * 1024,
        unpacked_bytes: 2 * 1024 * 1024 * 1024,
        cells: 20_000_000,
        rows: 1_048_576,
        columns: 256,
    };

    /// Inside a long-running service (the workspace, the SSH server): a
    /// file read there shares the process with every operator's session,
    /// so it may cost some tens of MB at most. Larger files go through
    /// `skillbridge import`.
    pub const SERVICE: Limits = Limits {
        file_bytes: 16 * 1024 * 1024,
        unpacked_bytes: 64 * 1024 * 1024,
        cells: 500_000,
        rows: 1_048_576,
        columns: 256,
    };

    /// The tighter of two limits, field by field.
    pub fn min(self, other: Limits) -> Limits {
        Limits {
            file_bytes: self.file_bytes.min(other.file_bytes),
            unpacked_bytes: self.unpacked_bytes.min(other.unpacked_bytes),
            cells: self.cells.min(other.cells),
            rows: self.rows.min(other.rows),
            columns: self.columns.min(other.columns),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::COMMAND_LINE
    }
}

/// Which limit a file went past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excess {
    /// The file is this many bytes.
    FileBytes { found: u64, limit: u64 },
    /// The workbook unpacks to at least this many bytes.
    Unpacked { found: u64, limit: u64 },
    /// The workbook has more parts than a workbook has.
    Parts { found: u64, limit: u64 },
    /// The file holds at least this many cells.
    Cells { found: u64, limit: u64 },
    /// A cell lies past the last row or column allowed.
    Cell {
        cell: String,
        limit_rows: u32,
        limit_columns: u32,
    },
    /// A workbook declares more shared strings than it could hold.
    SharedStrings { declared: u64, bytes: u64 },
}

impl std::fmt::Display for Excess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |b: &u64| format!("{:.1} MB", *b as f64 / 1e6);
        match self {
            Excess::FileBytes { found, limit } => {
                write!(f, "the file is {}, more than the {} read here", mb(found), mb(limit))
            }
            Excess::Unpacked { found, limit } => {
                write!(
                    f,
                    "the workbook unpacks to more than {} (at least {})",
                    mb(limit),
                    mb(found)
                )
            }
            Excess::Parts { found, limit } => {
                write!(f, "the workbook has {found} parts, more than the {limit} read here")
            }
            Excess::Cells { found, limit } => write!(f, "it holds more than {limit} cells (at least {found})"),
            Excess::Cell {
                cell,
                limit_rows,
                limit_columns,
            } => write!(
                f,
                "cell {cell} lies outside the {} × {limit_rows} cells read here (columns A to {}, rows 1 to {limit_rows}): delete what is in it, or copy the table to a new sheet",
                limit_columns,
                column_letter(*limit_columns as usize - 1)
            ),
            Excess::SharedStrings { declared, bytes } => write!(
                f,
                "the workbook declares {declared} shared strings in a part of {bytes} bytes, which cannot hold them (a damaged or hostile file)"
            ),
        }
    }
}

#[derive(Debug, Error)]
pub enum TableError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: the file is empty: expected a header row naming the columns ({expected}) and a row per {what}")]
    Empty {
        path: PathBuf,
        expected: String,
        what: &'static str,
    },
    #[error(
        "{path}: the file is neither UTF-8 nor GB18030/GBK (byte 0x{byte:02X} at offset {offset} is invalid in both): save it as 'CSV UTF-8' or as .xlsx"
    )]
    Encoding { path: PathBuf, offset: usize, byte: u8 },
    #[error(
        "{path}: the file is UTF-16 (Excel's 'Unicode text'): save it as 'CSV UTF-8 (comma delimited)' or as .xlsx"
    )]
    Utf16 { path: PathBuf },
    #[error(
        "{path}: the file is an Excel 97-2003 workbook (.xls), which is not read: save it as .xlsx or as 'CSV UTF-8'"
    )]
    OldExcel { path: PathBuf },
    #[error("{path}:{row}: not valid CSV: {detail}")]
    Csv { path: PathBuf, row: u64, detail: String },
    #[error("{path}: cannot read the workbook: {detail}. Expected an .xlsx file saved by Excel or WPS")]
    Xlsx { path: PathBuf, detail: String },
    #[error("{path}: not an export in JSON: {detail}. Expected an array of objects keyed by column name")]
    Json { path: PathBuf, detail: String },
    #[error("{path}: files ending in '{ext}' are not read: expected .csv, .xlsx or .json")]
    Format { path: PathBuf, ext: String },
    #[error("{path}: refused, nothing was read into the database: {excess}")]
    TooLarge { path: PathBuf, excess: Excess },
    #[error("{path}: the workbook has no sheet named '{sheet}'; its sheets are {sheets}")]
    NoSheet {
        path: PathBuf,
        sheet: String,
        sheets: String,
    },
    #[error("{path}: --sheet '{sheet}' names a sheet, but this file is not a workbook (.xlsx)")]
    SheetOfText { path: PathBuf, sheet: String },
    #[error(
        "{path}: none of the first {scanned} rows names a column of {kind}: the first row has {first}. Expected a header row such as {expected}{sheets}"
    )]
    NoHeader {
        path: PathBuf,
        kind: Kind,
        scanned: usize,
        first: String,
        expected: String,
        /// For a workbook of several sheets: which sheet was read and which others there are.
        sheets: String,
    },
}

/// One data row: its row number in the file (1-based, as a spreadsheet
/// shows it) and its cells, aligned with the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub path: PathBuf,
    /// The header cells (for a two-row header, the lower row under merged cells).
    pub header: Vec<String>,
    /// Row number of the (last) header row.
    pub header_line: usize,
    pub rows: Vec<Row>,
    /// What the reader noticed: encoding, skipped title rows, merged headers.
    pub notes: Vec<Note>,
}

/// A neutral remark of the reader (each language words it; the `Display`
/// is the English).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Note {
    #[error("read as an Excel workbook, although the file is named .{ext}")]
    WorkbookNamed { ext: String },
    #[error("the header spans rows {top} to {bottom} (merged cells)")]
    HeaderSpans { top: usize, bottom: usize },
    #[error("row {row} above the header skipped (a title)")]
    TitleRow { row: usize },
    #[error("rows {first} to {last} above the header skipped (a title)")]
    TitleRows { first: usize, last: usize },
    #[error("column {column} has values but no header: they are not imported")]
    NoHeader { column: String },
    #[error("read as {encoding}")]
    Encoding { encoding: String },
    #[error("read sheet '{sheet}' of {listed}")]
    Sheet { sheet: String, listed: String },
    #[error("read sheet '{sheet}', the first of {listed} (choose another with --sheet NAME)")]
    FirstSheet { sheet: String, listed: String },
    #[error("{count} merged cell ranges filled with their value")]
    Merged { count: usize },
    #[error("read as JSON: row N is element N-1 of the array")]
    Json,
}

/// What to read of a file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The sheet of a workbook (default: the first).
    pub sheet: Option<String>,
    pub limits: Limits,
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push((b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

fn example_header(kind: Kind) -> String {
    let names: Vec<&str> = columns::columns(kind)
        .iter()
        .filter(|c| c.required)
        .map(|c| c.zh)
        .collect();
    names.join(",")
}

/// One record of a kind, in messages: `trainee`, `class`…
pub(crate) fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Institutions => "institution",
        Kind::Enterprises => "enterprise",
        Kind::Demands => "demand",
        Kind::Classes => "class",
        Kind::Trainees => "trainee",
        Kind::Cases => "case",
    }
}

/// A merged region in sheet rows (1-based, as `Row::line`) and 0-based columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Merge {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

/// A grid as read, before the header is found: the rows that hold
/// anything, in order.
struct Grid {
    rows: Vec<Row>,
    merges: Vec<Merge>,
    notes: Vec<Note>,
    /// For a workbook of several sheets, the sentence naming them.
    sheets: String,
}

/// What a file's first bytes say it is.
enum Sniffed {
    Zip,
    OldExcel,
    Other,
}

fn sniff(path: &Path) -> Result<Sniffed, TableError> {
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| io_err(path, e))?;
    Ok(if head[..n].starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else if head[..n].starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Sniffed::OldExcel
    } else {
        Sniffed::Other
    })
}

/// Read a file of `kind`: find its header row and return the data rows.
pub fn read(path: &Path, kind: Kind, opts: &ReadOptions) -> Result<Table, TableError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let size = std::fs::metadata(path).map_err(|e| io_err(path, e))?.len();
    if size > opts.limits.file_bytes {
        return Err(too_large(
            path,
            Excess::FileBytes {
                found: size,
                limit: opts.limits.file_bytes,
            },
        ));
    }
    let text_sheet = |path: &Path| match &opts.sheet {
        Some(sheet) => Err(TableError::SheetOfText {
            path: path.to_path_buf(),
            sheet: sheet.clone(),
        }),
        None => Ok(()),
    };
    let grid = match ext.as_str() {
        "csv" | "txt" | "tsv" | "xlsx" | "xlsm" => match sniff(path)? {
            // The content decides: a workbook renamed .csv is still a workbook.
            Sniffed::Zip => {
                let mut g = read_xlsx(path, opts)?;
                if !matches!(ext.as_str(), "xlsx" | "xlsm") {
                    g.notes.push(Note::WorkbookNamed { ext: ext.clone() });
                }
                g
            }
            Sniffed::OldExcel => {
                return Err(TableError::OldExcel {
                    path: path.to_path_buf(),
                });
            }
            Sniffed::Other if matches!(ext.as_str(), "xlsx" | "xlsm") => {
                return Err(TableError::Xlsx {
                    path: path.to_path_buf(),
                    detail: "it is not a zip archive, so not a workbook".into(),
                });
            }
            Sniffed::Other => {
                text_sheet(path)?;
                read_csv(path, &opts.limits)?
            }
        },
        "xls" => {
            return Err(TableError::OldExcel {
                path: path.to_path_buf(),
            });
        }
        "json" => {
            text_sheet(path)?;
            return read_json(path, kind, &opts.limits);
        }
        other => {
            return Err(TableError::Format {
                path: path.to_path_buf(),
                ext: if other.is_empty() {
                    "(no extension)".into()
                } else {
                    format!(".{other}")
                },
            });
        }
    };
    find_header(path, kind, grid)
}

fn too_many_cells(path: &Path, found: u64, limits: &Limits) -> TableError {
    too_large(
        path,
        Excess::Cells {
            found,
            limit: limits.cells,
        },
    )
}

fn too_large(path: &Path, excess: Excess) -> TableError {
    TableError::TooLarge {
        path: path.to_path_buf(),
        excess,
    }
}

fn empty(path: &Path, kind: Kind) -> TableError {
    TableError::Empty {
        path: path.to_path_buf(),
        expected: example_header(kind),
        what: what(kind),
    }
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn score(kind: Kind, cells: &[String]) -> usize {
    let mut seen = HashSet::new();
    for c in cells {
        if let Some(col) = columns::lookup(kind, c) {
            seen.insert(col.key);
        }
    }
    seen.len()
}

fn find_header(path: &Path, kind: Kind, grid: Grid) -> Result<Table, TableError> {
    let Grid {
        rows: all,
        merges,
        mut notes,
        sheets,
    } = grid;
    let nonblank: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| !is_blank(&r.cells))
        .map(|(i, _)| i)
        .take(HEADER_SCAN)
        .collect();
    let Some(&first) = nonblank.first() else {
        return Err(empty(path, kind));
    };
    let mut best = (0usize, first);
    for &i in &nonblank {
        let s = score(kind, &all[i].cells);
        if s > best.0 {
            best = (s, i);
        }
    }
    let (found, h) = best;
    if found == 0 {
        let shown: Vec<String> = all[first]
            .cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .take(8)
            .map(|c| format!("'{}'", c.trim()))
            .collect();
        return Err(TableError::NoHeader {
            path: path.to_path_buf(),
            kind,
            scanned: nonblank.len(),
            first: shown.join(", "),
            expected: example_header(kind),
            sheets,
        });
    }
    let (first_line, h_line) = (all[first].line, all[h].line);
    // Header cells merged down from rows above make those rows part of the header.
    let top_line = merges
        .iter()
        .filter(|m| m.top < h_line && m.bottom >= h_line && m.top >= first_line)
        .map(|m| m.top)
        .min()
        .unwrap_or(h_line);
    if top_line < h_line {
        notes.push(Note::HeaderSpans {
            top: top_line,
            bottom: h_line,
        });
    }
    // Rows above the header (and above any row merged into it) are a title.
    let above: Vec<usize> = all[first..h]
        .iter()
        .filter(|r| r.line < top_line && !is_blank(&r.cells))
        .map(|r| r.line)
        .collect();
    if let (Some(a), Some(b)) = (above.first(), above.last()) {
        notes.push(if a == b {
            Note::TitleRow { row: *a }
        } else {
            Note::TitleRows { first: *a, last: *b }
        });
    }
    let mut header = all[h].cells.clone();
    let mut data_from = h + 1;
    // A merged cell spanning columns in the header row groups sub-headers
    // on the next row: take those for the columns under it.
    let grouped: Vec<&Merge> = merges
        .iter()
        .filter(|m| m.top == h_line && m.bottom == h_line && m.right > m.left)
        .collect();
    if !grouped.is_empty() && h + 1 < all.len() && all[h + 1].line == h_line + 1 {
        let sub = &all[h + 1].cells;
        let mut combined = header.clone();
        for m in &grouped {
            for c in m.left..=m.right {
                if let Some(s) = sub.get(c).filter(|s| !s.trim().is_empty())
                    && c < combined.len()
                {
                    combined[c] = s.clone();
                }
            }
        }
        if score(kind, &combined) > found {
            notes.push(Note::HeaderSpans {
                top: h_line,
                bottom: h_line + 1,
            });
            header = combined;
            data_from = h + 2;
        }
    }
    let header_line = all[data_from - 1].line;
    let width = header.len();
    let mut rows = Vec::new();
    let mut stray: Vec<usize> = Vec::new();
    for mut r in all.into_iter().skip(data_from) {
        for (i, c) in r.cells.iter().enumerate() {
            let unnamed = i >= width || header[i].trim().is_empty();
            if unnamed && !c.trim().is_empty() && !stray.contains(&i) {
                stray.push(i);
            }
        }
        r.cells.resize(width, String::new());
        // A row with values only outside the table is not a row of it.
        if is_blank(&r.cells) {
            continue;
        }
        rows.push(r);
    }
    stray.sort_unstable();
    for i in stray {
        notes.push(Note::NoHeader {
            column: column_letter(i),
        });
    }
    Ok(Table {
        path: path.to_path_buf(),
        header,
        header_line,
        rows,
        notes,
    })
}

fn io_err(path: &Path, source: std::io::Error) -> TableError {
    TableError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The whole file, refusing one that grew past the limit since it was measured.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, TableError> {
    let f = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut bytes = Vec::new();
    f.take(limit + 1).read_to_end(&mut bytes).map_err(|e| io_err(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(
            path,
            Excess::FileBytes {
                found: bytes.len() as u64,
                limit,
            },
        ));
    }
    Ok(bytes)
}

/// Decode CSV bytes: UTF-8 (a BOM is dropped), else GB18030.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, &'static str), TableError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(TableError::Utf16 {
            path: path.to_path_buf(),
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), "UTF-8 with BOM")),
            Err(e) => Err(TableError::Encoding {
                path: path.to_path_buf(),
                offset: e.valid_up_to() + 3,
                byte: rest[e.valid_up_to()],
            }),
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(utf8) => match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(s) => Ok((s.into_owned(), "GB18030/GBK")),
            None => Err(TableError::Encoding {
                path: path.to_path_buf(),
                offset: utf8.valid_up_to(),
                byte: bytes[utf8.valid_up_to()],
            }),
        },
    }
}

/// The row a spreadsheet shows for each record starting at `starts` (byte
/// offsets into `text`, ascending): every line end outside quotes counts,
/// CRLF as one, blank lines included; a line end inside a quoted cell does
/// not (the cell spans lines, the row is one).
fn spreadsheet_rows(text: &[u8], delimiter: u8, starts: &[u64]) -> Vec<usize> {
    let mut rows = Vec::with_capacity(starts.len());
    let mut row = 1usize;
    let mut field_start = true;
    let mut quoted = false;
    let mut k = 0;
    let mut i = 0usize;
    while i <= text.len() && k < starts.len() {
        while k < starts.len() && starts[k] as usize <= i {
            rows.push(row);
            k += 1;
        }
        let Some(&b) = text.get(i) else { break };
        if quoted {
            if b == b'"' {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
            field_start = false;
        } else if b == delimiter {
            field_start = true;
        } else if b == b'\r' {
            row += 1;
            field_start = true;
            if text.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else if b == b'\n' {
            row += 1;
            field_start = true;
        } else {
            field_start = false;
        }
        i += 1;
    }
    while rows.len() < starts.len() {
        rows.push(row);
    }
    rows
}

fn read_csv(path: &Path, limits: &Limits) -> Result<Grid, TableError> {
    let bytes = read_bounded(path, limits.file_bytes)?;
    let (text, encoding) = decode(path, &bytes)?;
    drop(bytes);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut cells = 0u64;
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let at = e.position().map(|p| p.byte()).unwrap_or(0);
            TableError::Csv {
                path: path.to_path_buf(),
                row: spreadsheet_rows(text.as_bytes(), delimiter, &[at])[0] as u64,
                detail: e.to_string(),
            }
        })?;
        let start = rec.position().map(|p| p.byte()).unwrap_or(0);
        cells += rec.len() as u64;
        if cells > limits.cells {
            return Err(too_many_cells(path, cells, limits));
        }
        if rec.len() as u64 > u64::from(limits.columns)
            && rec.iter().skip(limits.columns as usize).any(|c| !c.trim().is_empty())
        {
            let last = rec
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.trim().is_empty())
                .map(|(i, _)| i)
                .last()
                .unwrap_or(0);
            let row = spreadsheet_rows(text.as_bytes(), delimiter, &[start])[0];
            return Err(too_large(
                path,
                Excess::Cell {
                    cell: format!("{}{row}", column_letter(last)),
                    limit_rows: limits.rows,
                    limit_columns: limits.columns,
                },
            ));
        }
        let mut row: Vec<String> = rec.iter().map(str::to_string).collect();
        row.truncate(limits.columns as usize);
        records.push((start, row));
    }
    let starts: Vec<u64> = records.iter().map(|(s, _)| *s).collect();
    let lines = spreadsheet_rows(text.as_bytes(), delimiter, &starts);
    let rows = records
        .into_iter()
        .zip(lines)
        .map(|((_, cells), line)| Row { line, cells })
        .collect();
    let mut notes = Vec::new();
    if encoding != "UTF-8" {
        notes.push(Note::Encoding {
            encoding: encoding.to_string(),
        });
    }
    Ok(Grid {
        rows,
        merges: Vec::new(),
        notes,
        sheets: String::new(),
    })
}

/// A cell's text. Whole numbers lose their ".0"; numbers too long for
/// Excel's 15 significant digits show in scientific notation, so that an ID
/// number Excel rounded is recognized and refused rather than misread.
fn cell_text(d: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.abs() >= 1e15 => format!("{f:E}"),
        DataRef::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Parts a workbook may have (sheets, styles, strings, relationships…).
const MAX_PARTS: u64 = 10_000;

/// Look inside the zip before calamine does: every part unpacked (into
/// nothing) to measure it, so a small file that unpacks to gigabytes is
/// refused before any of it is kept; and the shared-string count calamine
/// reserves room for must fit the part that holds the strings.
fn check_zip(path: &Path, limits: &Limits) -> Result<(), TableError> {
    let xerr = |detail: String| TableError::Xlsx {
        path: path.to_path_buf(),
        detail,
    };
    let file = std::fs::File::open(path).map_err(|e| io_err(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| xerr(e.to_string()))?;
    let parts = zip.len() as u64;
    if parts > MAX_PARTS {
        return Err(too_large(
            path,
            Excess::Parts {
                found: parts,
                limit: MAX_PARTS,
            },
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| xerr(e.to_string()))?;
        let name = part.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        let left = limits.unpacked_bytes.saturating_sub(total);
        let mut head = Vec::new();
        let mut n = 0u64;
        if name.ends_with("sharedstrings.xml") {
            // The declared count is near the start.
            n += (&mut part)
                .take(4096.min(left + 1))
                .read_to_end(&mut head)
                .map_err(|e| xerr(e.to_string()))? as u64;
        }
        n += std::io::copy(&mut (&mut part).take(left + 1 - n.min(left + 1)), &mut std::io::sink())
            .map_err(|e| xerr(e.to_string()))?;
        total += n;
        if total > limits.unpacked_bytes {
            return Err(too_large(
                path,
                Excess::Unpacked {
                    found: total,
                    limit: limits.unpacked_bytes,
                },
            ));
        }
        if !head.is_empty() {
            let text = String::from_utf8_lossy(&head);
            let declared = text
                .split("uniqueCount=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.trim().parse::<u64>().ok());
            // Each string takes at least `<si><t/></si>` (13 bytes).
            if let Some(d) = declared
                && (d > n / 8 + 1 || d > limits.cells)
            {
                return Err(too_large(path, Excess::SharedStrings { declared: d, bytes: n }));
            }
        }
    }
    Ok(())
}

fn read_xlsx(path: &Path, opts: &ReadOptions) -> Result<Grid, TableError> {
    use calamine::{Reader, Xlsx, open_workbook};
    let limits = &opts.limits;
    let xerr = |detail: String| TableError::Xlsx {
        path: path.to_path_buf(),
        detail,
    };
    check_zip(path, limits)?;
    let mut wb: Xlsx<std::io::BufReader<std::fs::File>> =
        open_workbook(path).map_err(|e: calamine::XlsxError| xerr(e.to_string()))?;
    let names = wb.sheet_names();
    let listed = names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
    let sheet = match &opts.sheet {
        Some(s) => match names.iter().find(|n| *n == s || n.trim() == s.trim()) {
            Some(n) => n.clone(),
            None => {
                return Err(TableError::NoSheet {
                    path: path.to_path_buf(),
                    sheet: s.clone(),
                    sheets: listed,
                });
            }
        },
        None => match names.first() {
            Some(n) => n.clone(),
            None => return Err(xerr("it has no sheet".into())),
        },
    };
    let sheets = if names.len() > 1 {
        format!(" (sheet '{sheet}' was read; the workbook's sheets are {listed}: choose one with --sheet NAME)")
    } else {
        String::new()
    };
    // Cell by cell: only rows that hold something are kept.
    let mut by_row: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    let mut count = 0u64;
    let mut last_col = 0u32;
    {
        let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| xerr(e.to_string()))?;
        while let Some(cell) = cells.next_cell().map_err(|e| xerr(e.to_string()))? {
            count += 1;
            if count > limits.cells {
                return Err(too_many_cells(path, count, limits));
            }
            let (r, c) = cell.get_position();
            let text = cell_text(cell.get_value());
            if text.trim().is_empty() {
                continue;
            }
            if r >= limits.rows || c >= limits.columns {
                return Err(too_large(
                    path,
                    Excess::Cell {
                        cell: format!("{}{}", column_letter(c as usize), u64::from(r) + 1),
                        limit_rows: limits.rows,
                        limit_columns: limits.columns,
                    },
                ));
            }
            last_col = last_col.max(c);
            let row = by_row.entry(r).or_default();
            if row.len() <= c as usize {
                row.resize(c as usize + 1, String::new());
            }
            row[c as usize] = text;
        }
    }
    let merged = wb.merge_cells_by_sheet_name(&sheet).map_err(|e| xerr(e.to_string()))?;
    // Merges are clipped to the cells that hold values: a merge across a
    // whole row or column fills no more than the table.
    let last_row = by_row.keys().next_back().copied().unwrap_or(0);
    let mut merges = Vec::new();
    let mut filled = 0u64;
    for m in merged {
        let (top, left) = (m.start.0, m.start.1);
        if top > last_row || left > last_col {
            continue;
        }
        let (bottom, right) = (m.end.0.min(last_row), m.end.1.min(last_col));
        let value = by_row
            .get(&top)
            .and_then(|r| r.get(left as usize))
            .cloned()
            .unwrap_or_default();
        filled += u64::from(bottom - top + 1) * u64::from(right - left + 1);
        if count + filled > limits.cells {
            return Err(too_many_cells(path, count + filled, limits));
        }
        for r in top..=bottom {
            let row = by_row.entry(r).or_default();
            if row.len() <= right as usize {
                row.resize(right as usize + 1, String::new());
            }
            for cell in &mut row[left as usize..=right as usize] {
                cell.clone_from(&value);
            }
        }
        merges.push(Merge {
            top: top as usize + 1,
            left: left as usize,
            bottom: bottom as usize + 1,
            right: right as usize,
        });
    }
    let rows = by_row
        .into_iter()
        .map(|(r, cells)| Row {
            line: r as usize + 1,
            cells,
        })
        .collect();
    let mut notes = Vec::new();
    if names.len() > 1 {
        notes.push(match &opts.sheet {
            Some(_) => Note::Sheet {
                sheet: sheet.to_string(),
                listed: listed.clone(),
            },
            None => Note::FirstSheet {
                sheet: sheet.to_string(),
                listed: listed.clone(),
            },
        });
    }
    if !merges.is_empty() {
        notes.push(Note::Merged { count: merges.len() });
    }
    Ok(Grid {
        rows,
        merges,
        notes,
        sheets,
    })
}

fn read_json(path: &Path, kind: Kind, limits: &Limits) -> Result<Table, TableError> {
    let bytes = read_bounded(path, limits.file_bytes)?;
    let jerr = |detail: String| TableError::Json {
        path: path.to_path_buf(),
        detail,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty(path, kind));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| jerr(e.to_string()))?;
    drop(bytes);
    let serde_json::Value::Array(items) = value else {
        return Err(jerr("the top level is not an array".into()));
    };
    let mut header: Vec<String> = Vec::new();
    for item in &items {
        let serde_json::Value::Object(map) = item else {
            return Err(jerr("an element is not an object".into()));
        };
        for k in map.keys() {
            if !header.contains(k) {
                if header.len() >= limits.columns as usize {
                    return Err(too_large(
                        path,
                        Excess::Cell {
                            cell: format!("key '{k}'"),
                            limit_rows: limits.rows,
                            limit_columns: limits.columns,
                        },
                    ));
                }
                header.push(k.clone());
            }
        }
    }
    let cells = items.len() as u64 * header.len() as u64;
    if cells > limits.cells {
        return Err(too_many_cells(path, cells, limits));
    }
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut cells = Vec::with_capacity(header.len());
        for k in &header {
            let text = match item.get(k) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                    .collect::<Vec<_>>()
                    .join("、"),
                Some(other) => other.to_string(),
            };
            cells.push(text);
        }
        // Row numbers count the header as row 1, as in a spreadsheet.
        rows.push(Row { line: i + 2, cells });
    }
    Ok(Table {
        path: path.to_path_buf(),
        header,
        header_line: 1,
        rows,
        notes: vec![Note::Json],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn decoding_prefers_utf8_then_gb18030() {
        let p = Path::new("x.csv");
        assert_eq!(decode(p, "姓名".as_bytes()).unwrap(), ("姓名".to_string(), "UTF-8"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("姓名".as_bytes());
        assert_eq!(decode(p, &bom).unwrap().0, "姓名");
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,身份证号");
        assert_eq!(decode(p, &gbk).unwrap(), ("姓名,身份证号".to_string(), "GB18030/GBK"));
        assert!(matches!(
            decode(p, &[0xFF, 0xFE, 0x41, 0]),
            Err(TableError::Utf16 { .. })
        ));
    }

    #[test]
    fn rows_count_as_a_spreadsheet_shows_them() {
        // CRLF, a blank line, a quoted cell over two lines, a lone CR.
        let text = b"title\r\nh1,h2\r\n\r\na,\"x\r\ny\"\r\nb,c\rd,e\n";
        let starts = [0u64, 7, 16, 27, 31];
        assert_eq!(spreadsheet_rows(text, b',', &starts), vec![1, 2, 4, 5, 6]);
        // Escaped quotes inside a quoted cell do not end it.
        let text = b"a,\"say \"\"hi\"\"\nthere\"\nb,c\n";
        assert_eq!(spreadsheet_rows(text, b',', &[0, 23]), vec![1, 2]);
    }
}
