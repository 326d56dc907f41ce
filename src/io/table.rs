//! A file as rows of text cells: CSV (UTF-8 with or without a BOM, else
//! GB18030, which covers GBK and GB2312 as Chinese Excel writes them), `.xlsx`
//! (first sheet; merged cells filled with their value; a title row above the
//! header and a two-row header under merged cells are recognized) and JSON
//! (an array of objects, as `export --format json` writes).

use super::columns;
use crate::domain::Kind;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Rows scanned for the header row.
const HEADER_SCAN: usize = 10;

#[derive(Debug, Error)]
pub enum TableError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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
    #[error("{path}:{row}: not valid CSV: {detail}")]
    Csv { path: PathBuf, row: u64, detail: String },
    #[error("{path}: cannot read the workbook: {detail}. Expected an .xlsx file saved by Excel or WPS")]
    Xlsx { path: PathBuf, detail: String },
    #[error("{path}: not an export in JSON: {detail}. Expected an array of objects keyed by column name")]
    Json { path: PathBuf, detail: String },
    #[error("{path}: files ending in '{ext}' are not read: expected .csv, .xlsx or .json")]
    Format { path: PathBuf, ext: String },
    #[error(
        "{path}: none of the first {scanned} rows names a column of {kind}: the first row has {first}. Expected a header row such as {expected}"
    )]
    NoHeader {
        path: PathBuf,
        kind: Kind,
        scanned: usize,
        first: String,
        expected: String,
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
    pub notes: Vec<String>,
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

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Institutions => "institution",
        Kind::Enterprises => "enterprise",
        Kind::Demands => "demand",
        Kind::Classes => "class",
        Kind::Trainees => "trainee",
        Kind::Cases => "case",
    }
}

/// A grid as read, before the header is found.
struct Grid {
    rows: Vec<Row>,
    /// Merged regions as (first row, first col, last row, last col), 0-based
    /// positions in `rows`' coordinates (row index into the sheet, column).
    merges: Vec<(usize, usize, usize, usize)>,
    notes: Vec<String>,
}

/// Read a file of `kind`: find its header row and return the data rows.
pub fn read(path: &Path, kind: Kind) -> Result<Table, TableError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let grid = match ext.as_str() {
        "csv" | "txt" | "tsv" => read_csv(path)?,
        "xlsx" | "xlsm" => read_xlsx(path)?,
        "json" => return read_json(path, kind),
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
        });
    }
    // Header cells merged down from rows above make those rows part of the header.
    let top = merges
        .iter()
        .filter(|m| m.0 < h && m.2 >= h && m.0 >= first)
        .map(|m| m.0)
        .min()
        .unwrap_or(h);
    if top < h {
        notes.push(format!(
            "the header spans rows {} to {} (merged cells)",
            all[top].line, all[h].line
        ));
    }
    if top > first {
        let (a, b) = (all[first].line, all[top - 1].line);
        notes.push(if a == b {
            format!("row {a} above the header skipped (a title)")
        } else {
            format!("rows {a} to {b} above the header skipped (a title)")
        });
    }
    let mut header = all[h].cells.clone();
    let mut data_from = h + 1;
    // A merged cell spanning columns in the header row groups sub-headers
    // on the next row: take those for the columns under it.
    let grouped: Vec<&(usize, usize, usize, usize)> =
        merges.iter().filter(|m| m.0 == h && m.2 == h && m.3 > m.1).collect();
    if !grouped.is_empty() && h + 1 < all.len() {
        let sub = &all[h + 1].cells;
        let mut combined = header.clone();
        for m in &grouped {
            for c in m.1..=m.3 {
                if let Some(s) = sub.get(c).filter(|s| !s.trim().is_empty())
                    && c < combined.len()
                {
                    combined[c] = s.clone();
                }
            }
        }
        if score(kind, &combined) > found {
            notes.push(format!(
                "the header spans rows {} to {} (merged cells)",
                all[h].line,
                all[h + 1].line
            ));
            header = combined;
            data_from = h + 2;
        }
    }
    let header_line = all.get(data_from - 1).map(|r| r.line).unwrap_or(all[h].line);
    let width = header.len();
    let mut rows = Vec::new();
    let mut stray: Vec<usize> = Vec::new();
    for mut r in all.into_iter().skip(data_from) {
        if is_blank(&r.cells) {
            continue;
        }
        for (i, c) in r.cells.iter().enumerate() {
            let unnamed = i >= width || header[i].trim().is_empty();
            if unnamed && !c.trim().is_empty() && !stray.contains(&i) {
                stray.push(i);
            }
        }
        r.cells.resize(width, String::new());
        rows.push(r);
    }
    for i in stray {
        notes.push(format!(
            "column {} has values but no header: they are not imported",
            column_letter(i)
        ));
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

fn read_csv(path: &Path) -> Result<Grid, TableError> {
    let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
    let (text, encoding) = decode(path, &bytes)?;
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
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| TableError::Csv {
            path: path.to_path_buf(),
            row: e.position().map(|p| p.line()).unwrap_or(0),
            detail: e.to_string(),
        })?;
        let line = rec.position().map(|p| p.line() as usize).unwrap_or(rows.len() + 1);
        rows.push(Row {
            line,
            cells: rec.iter().map(|c| c.to_string()).collect(),
        });
    }
    let mut notes = Vec::new();
    if encoding != "UTF-8" {
        notes.push(format!("read as {encoding}"));
    }
    Ok(Grid {
        rows,
        merges: Vec::new(),
        notes,
    })
}

/// A cell's text. Whole numbers lose their ".0"; numbers too long for
/// Excel's 15 significant digits show in scientific notation, so that an ID
/// number Excel rounded is recognized and refused rather than misread.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.abs() >= 1e15 => format!("{f:E}"),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_xlsx(path: &Path) -> Result<Grid, TableError> {
    use calamine::{Reader, Xlsx, open_workbook};
    let xerr = |detail: String| TableError::Xlsx {
        path: path.to_path_buf(),
        detail,
    };
    let mut wb: Xlsx<std::io::BufReader<std::fs::File>> =
        open_workbook(path).map_err(|e: calamine::XlsxError| xerr(e.to_string()))?;
    let names = wb.sheet_names();
    let Some(sheet) = names.first().cloned() else {
        return Err(xerr("it has no sheet".into()));
    };
    let range = wb.worksheet_range(&sheet).map_err(|e| xerr(e.to_string()))?;
    let merged = wb.merge_cells_by_sheet_name(&sheet).map_err(|e| xerr(e.to_string()))?;
    let (r0, c0) = range.start().map(|(r, c)| (r as usize, c as usize)).unwrap_or((0, 0));
    let mut rows: Vec<Row> = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let mut cells = vec![String::new(); c0];
        cells.extend(r.iter().map(cell_text));
        rows.push(Row {
            line: r0 + i + 1,
            cells,
        });
    }
    // Rows in sheet coordinates: row index i holds sheet row r0 + i.
    let mut merges = Vec::new();
    for m in merged {
        let (sr, sc) = (m.start.0 as usize, m.start.1 as usize);
        let (er, ec) = (m.end.0 as usize, m.end.1 as usize);
        if sr < r0 {
            continue;
        }
        let (sr, er) = (sr - r0, er - r0);
        let value: String = rows
            .get(sr)
            .and_then(|r: &Row| r.cells.get(sc))
            .cloned()
            .unwrap_or_default();
        for row in rows.iter_mut().take(er + 1).skip(sr) {
            if row.cells.len() <= ec {
                row.cells.resize(ec + 1, String::new());
            }
            for cell in &mut row.cells[sc..=ec] {
                *cell = value.clone();
            }
        }
        merges.push((sr, sc, er, ec));
    }
    let mut notes = Vec::new();
    if names.len() > 1 {
        notes.push(format!("read sheet '{sheet}', the first of {}", names.len()));
    }
    if !merges.is_empty() {
        notes.push(format!("{} merged cell ranges filled with their value", merges.len()));
    }
    Ok(Grid { rows, merges, notes })
}

fn read_json(path: &Path, kind: Kind) -> Result<Table, TableError> {
    let bytes = std::fs::read(path).map_err(|e| io_err(path, e))?;
    let jerr = |detail: String| TableError::Json {
        path: path.to_path_buf(),
        detail,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty(path, kind));
    }
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| jerr(e.to_string()))?;
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
                header.push(k.clone());
            }
        }
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
        notes: vec!["read as JSON: row N is element N-1 of the array".into()],
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
}
