//! Export: every record of a kind as the columns `import` reads, references
//! by name, so that export → import into an empty database gives the same
//! data back (ids may differ).
//!
//! - CSV: UTF-8 with a BOM (Excel then shows the Chinese right), or GBK
//!   (`Encoding::Gbk`, what Chinese Excel saves), Chinese headers. Safe to
//!   open in Excel: a value that would start a formula (`=`, `+`, `-`, `@`,
//!   a tab, a carriage return: the OWASP rule) is written behind a `'`, and
//!   ID numbers and mobiles as `="…"` so that Excel keeps every digit
//!   instead of showing 3.21183E+17. Import reads both forms back.
//! - XLSX: one sheet, the ID number and mobile columns typed as text, every
//!   value a string cell (nothing is ever a formula).
//! - JSON: an array of objects keyed by the English column names, one object
//!   per line.
//!
//! A file is written whole or not at all: into a temporary file beside it,
//! renamed into place, and removed again on any failure.

use super::cells::{Cells, Names, case_cells};
use super::columns;
use crate::domain::Kind;
use crate::domain::*;
use crate::store::{Store, StoreError};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
    /// A page to print: A4 landscape, titled, every page numbered.
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown format '{0}': expected csv, xlsx, json or html (a page to print)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// The text encoding of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 with a BOM.
    #[default]
    Utf8,
    /// GBK (Windows code page 936), as Chinese Excel saves CSV; no BOM.
    Gbk,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown encoding '{0}': expected utf8 or gbk")]
pub struct UnknownEncoding(pub String);

impl FromStr for Encoding {
    type Err = UnknownEncoding;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "utf8" => Ok(Encoding::Utf8),
            "gbk" | "cp936" | "gb2312" => Ok(Encoding::Gbk),
            _ => Err(UnknownEncoding(s.to_string())),
        }
    }
}

/// How to write an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub format: Format,
    pub encoding: Encoding,
    /// Only the header: an empty file to fill in.
    pub template: bool,
    /// A printed page's title (the class of a roster…); default: the kind.
    pub title: Option<String>,
}

impl Options {
    pub fn new(format: Format) -> Options {
        Options {
            format,
            encoding: Encoding::Utf8,
            template: false,
            title: None,
        }
    }
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("reading the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path} is a directory: give a file name with --out, or export every kind into it with `export all --out DIR`"
    )]
    Directory { path: PathBuf },
    #[error(
        "{kind} {id}: column '{column}' holds '{ch}', which GBK cannot write: nothing was exported. Export in UTF-8 (the default, which Excel also opens) or as .xlsx"
    )]
    NotGbk {
        kind: Kind,
        id: String,
        column: &'static str,
        ch: char,
    },
    #[error("--encoding applies to CSV only; {format} files have their own")]
    EncodingOfBinary { format: Format },
    #[error("cannot make the workbook: {0}")]
    Xlsx(String),
}

/// Every record of `kind` as cells in the order of `columns::columns(kind)`,
/// with each record's id (for messages).
pub fn rows(store: &Store, kind: Kind) -> Result<Vec<Vec<String>>, StoreError> {
    Ok(records(store, kind)?.into_iter().map(|(_, r)| r).collect())
}

fn records(store: &Store, kind: Kind) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    fn all<R: crate::store::Record + Cells>(
        store: &Store,
        names: &Names,
    ) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        Ok(store
            .all::<R>()?
            .iter()
            .map(|r| {
                crate::store::progress::tick();
                (r.key().to_string(), r.cells(names))
            })
            .collect())
    }
    let names = match kind {
        Kind::Demands | Kind::Classes => Names::load(store)?,
        _ => Names::default(),
    };
    match kind {
        Kind::Institutions => all::<Institution>(store, &names),
        Kind::Enterprises => all::<Enterprise>(store, &names),
        Kind::Demands => all::<JobDemand>(store, &names),
        Kind::Classes => all::<TrainingClass>(store, &names),
        Kind::Trainees => all::<Trainee>(store, &names),
        Kind::Cases => {
            let ids: Vec<u64> = store.all::<Case>()?.iter().map(|c| c.id.0).collect();
            records_of(store, Kind::Cases, &ids)
        }
    }
}

/// The records `ids` of `kind`, in that order (a list as it is shown); an
/// id with no record is left out.
pub fn records_of(store: &Store, kind: Kind, ids: &[u64]) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    fn some<R: crate::store::Record + Cells>(
        store: &Store,
        names: &Names,
        ids: &[u64],
    ) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            crate::store::progress::tick();
            if let Some(r) = store.get::<R>(*id)? {
                out.push((r.key().to_string(), r.cells(names)));
            }
        }
        Ok(out)
    }
    let names = match kind {
        Kind::Demands | Kind::Classes | Kind::Cases => Names::load(store)?,
        _ => Names::default(),
    };
    match kind {
        Kind::Institutions => some::<Institution>(store, &names, ids),
        Kind::Enterprises => some::<Enterprise>(store, &names, ids),
        Kind::Demands => some::<JobDemand>(store, &names, ids),
        Kind::Classes => some::<TrainingClass>(store, &names, ids),
        Kind::Trainees => some::<Trainee>(store, &names, ids),
        Kind::Cases => {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                crate::store::progress::tick();
                if let Some(c) = store.get::<Case>(*id)? {
                    let t = store.get::<Trainee>(c.trainee.0)?;
                    let k = store.get::<TrainingClass>(c.class.0)?;
                    out.push((c.id.to_string(), case_cells(&c, t.as_ref(), k.as_ref(), &names)));
                }
            }
            Ok(out)
        }
    }
}

/// Write the records `ids` of `kind` in that order; returns how many.
pub fn write_ids(
    store: &Store,
    kind: Kind,
    ids: &[u64],
    opts: &Options,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let rows = records_of(store, kind, ids)?;
    let bytes = render(kind, opts, &rows)?;
    out.write_all(&bytes).map_err(|source| ExportError::Io {
        path: PathBuf::from("-"),
        source,
    })?;
    Ok(rows.len())
}

/// A cell as Excel may open it: a value that would start a formula gets a
/// `'` before it (the OWASP rule for CSV injection).
pub fn excel_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Columns whose digits Excel must keep as text (it rounds 18 digits to 15).
fn is_digits_column(key: &str) -> bool {
    matches!(key, "id_number" | "mobile")
}

fn csv_cell(key: &str, cell: &str) -> String {
    if is_digits_column(key) && !cell.is_empty() {
        format!("=\"{cell}\"")
    } else {
        excel_safe(cell).into_owned()
    }
}

/// Write every record of `kind` (or, for a template, only the header) to
/// `out`; returns how many records.
pub fn write(store: &Store, kind: Kind, opts: &Options, out: &mut dyn Write) -> Result<usize, ExportError> {
    let rows = if opts.template {
        Vec::new()
    } else {
        records(store, kind)?
    };
    let bytes = render(kind, opts, &rows)?;
    out.write_all(&bytes).map_err(|source| ExportError::Io {
        path: PathBuf::from("-"),
        source,
    })?;
    Ok(rows.len())
}

/// The file's bytes.
fn render(kind: Kind, opts: &Options, rows: &[(String, Vec<String>)]) -> Result<Vec<u8>, ExportError> {
    let cols = columns::export_columns(kind);
    if opts.encoding != Encoding::Utf8 && opts.format != Format::Csv {
        return Err(ExportError::EncodingOfBinary { format: opts.format });
    }
    let io = |source| ExportError::Io {
        path: PathBuf::from("-"),
        source,
    };
    match opts.format {
        Format::Csv => {
            let mut out = Vec::new();
            {
                let mut w = csv::Writer::from_writer(&mut out);
                let header: Vec<&str> = cols.iter().map(|c| c.zh).collect();
                w.write_record(&header).map_err(|e| io(e.into()))?;
                for (_, r) in rows {
                    let cells = cols.iter().zip(r).map(|(c, v)| csv_cell(c.key, v));
                    w.write_record(cells).map_err(|e| io(e.into()))?;
                }
                w.flush().map_err(io)?;
            }
            match opts.encoding {
                Encoding::Utf8 => Ok([&[0xEF, 0xBB, 0xBF][..], &out].concat()),
                Encoding::Gbk => {
                    let text = String::from_utf8_lossy(&out);
                    let (bytes, _, errors) = encoding_rs::GBK.encode(&text);
                    if errors {
                        return Err(not_gbk(kind, rows));
                    }
                    Ok(bytes.into_owned())
                }
            }
        }
        Format::Json => {
            let mut out = Vec::new();
            out.extend_from_slice(b"[");
            for (i, (_, r)) in rows.iter().enumerate() {
                let fields: Vec<String> = cols
                    .iter()
                    .zip(r)
                    .map(|(c, v)| {
                        format!(
                            "{}:{}",
                            serde_json::Value::from(c.key),
                            serde_json::Value::from(v.as_str())
                        )
                    })
                    .collect();
                let sep = if i == 0 { "\n" } else { ",\n" };
                write!(out, "{sep}{{{}}}", fields.join(",")).map_err(io)?;
            }
            out.extend_from_slice(b"\n]\n");
            Ok(out)
        }
        Format::Xlsx => xlsx(kind, rows),
        Format::Html => Ok(print_page(kind, opts.title.as_deref(), rows).into_bytes()),
    }
}

/// Text for HTML: `<`, `>`, `&` and quotes escaped, so a name like
/// `<script>` prints as itself.
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A list as a page to print (a browser's "print" makes it paper or PDF):
/// A4 landscape, the title on every page, the header row repeated, pages
/// numbered "第 n 页 / 共 m 页".
fn print_page(kind: Kind, title: Option<&str>, rows: &[(String, Vec<String>)]) -> String {
    let cols = columns::export_columns(kind);
    let title = html_text(title.unwrap_or(kind.zh()));
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str(&format!("<title>{title}</title>\n"));
    s.push_str(
        "<style>\n\
         @page { size: A4 landscape; margin: 12mm 10mm 14mm 10mm;\n\
           @bottom-center { content: \"第 \" counter(page) \" 页 / 共 \" counter(pages) \" 页\"; font-size: 9pt; } }\n\
         body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: 10pt; }\n\
         h1 { font-size: 14pt; margin: 0 0 4mm 0; }\n\
         table { border-collapse: collapse; width: 100%; }\n\
         thead { display: table-header-group; }\n\
         tr { page-break-inside: avoid; }\n\
         th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; text-align: left; }\n\
         th { background: #eee; }\n\
         </style>\n</head>\n<body>\n",
    );
    s.push_str(&format!(
        "<h1>{title}</h1>\n<p>共 {} 条</p>\n<table>\n<thead><tr><th>序号</th>",
        rows.len()
    ));
    for c in cols {
        s.push_str(&format!("<th>{}</th>", html_text(c.zh)));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (i, (_, r)) in rows.iter().enumerate() {
        s.push_str(&format!("<tr><td>{}</td>", i + 1));
        for v in r {
            s.push_str(&format!("<td>{}</td>", html_text(v)));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    s
}

/// The first record and column whose text GBK cannot hold.
fn not_gbk(kind: Kind, rows: &[(String, Vec<String>)]) -> ExportError {
    let cols = columns::export_columns(kind);
    for (id, r) in rows {
        for (c, v) in cols.iter().zip(r) {
            for ch in v.chars() {
                let mut buf = [0u8; 4];
                if encoding_rs::GBK.encode(ch.encode_utf8(&mut buf)).2 {
                    return ExportError::NotGbk {
                        kind,
                        id: id.clone(),
                        column: c.zh,
                        ch,
                    };
                }
            }
        }
    }
    ExportError::NotGbk {
        kind,
        id: "-".into(),
        column: "-",
        ch: '?',
    }
}

fn xlsx(kind: Kind, rows: &[(String, Vec<String>)]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as Style, Workbook};
    let xerr = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    let cols = columns::export_columns(kind);
    let mut wb = Workbook::new();
    // The day, not the second: two exports of the same data on one day are
    // the same bytes.
    let today = chrono::Utc::now().date_naive();
    use chrono::Datelike;
    let created = ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8).map_err(xerr)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let text = Style::new().set_num_format("@");
    let bold = Style::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name(kind.zh()).map_err(xerr)?;
    for (c, col) in cols.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, col.zh, &bold).map_err(xerr)?;
        let width = if is_digits_column(col.key) { 22.0 } else { 16.0 };
        sheet.set_column_width(c, width).map_err(xerr)?;
        if is_digits_column(col.key) {
            sheet.set_column_format(c, &text).map_err(xerr)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    for (i, (_, r)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| ExportError::Xlsx("more rows than a sheet holds".into()))?;
        for (c, (col, v)) in cols.iter().zip(r).enumerate() {
            if v.is_empty() {
                continue;
            }
            if is_digits_column(col.key) {
                sheet.write_string_with_format(row, c as u16, v, &text).map_err(xerr)?;
            } else {
                sheet.write_string(row, c as u16, v).map_err(xerr)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Write `bytes` to `path` whole or not at all: into a temporary file
/// beside it (synced), renamed over it; the temporary file is removed on
/// any failure, so nothing is left behind.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = path.with_file_name(format!(".{name}.part-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// An empty file of `kind`: the header row only (for XLSX, with the ID
/// number and mobile columns already typed as text).
pub fn template(kind: Kind, opts: &Options) -> Result<Vec<u8>, ExportError> {
    render(kind, opts, &[])
}

/// Write bytes made here to `path`, whole or not at all.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    if path.is_dir() {
        return Err(ExportError::Directory {
            path: path.to_path_buf(),
        });
    }
    write_whole(path, bytes).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Write to a file, whole or not at all.
pub fn to_path(store: &Store, kind: Kind, opts: &Options, path: &Path) -> Result<usize, ExportError> {
    if path.is_dir() {
        return Err(ExportError::Directory {
            path: path.to_path_buf(),
        });
    }
    let rows = if opts.template {
        Vec::new()
    } else {
        records(store, kind)?
    };
    write_file(path, &render(kind, opts, &rows)?)?;
    Ok(rows.len())
}

/// Every kind into `dir` as `<kind>.<format>`, in the order an import needs.
pub fn all_to_dir(store: &Store, opts: &Options, dir: &Path) -> Result<Vec<(Kind, PathBuf, usize)>, ExportError> {
    std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for kind in Kind::IMPORTABLE {
        let path = dir.join(format!("{}.{}", kind.name(), opts.format.extension()));
        let n = to_path(store, kind, opts, &path)?;
        out.push((kind, path, n));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_cells_are_escaped_by_the_owasp_rule() {
        for bad in [
            "=HYPERLINK(\"http://x\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(excel_safe(bad), format!("'{bad}"));
            assert_eq!(crate::io::resolve::unescape_formula(&excel_safe(bad)), bad);
        }
        assert_eq!(excel_safe("王芳"), "王芳");
        assert_eq!(csv_cell("id_number", "32110219961018268X"), "=\"32110219961018268X\"");
        assert_eq!(csv_cell("mobile", ""), "");
    }
}
