//! The 申报花名册: the subsidy claims as one table (one row per person on
//! a claim), in CSV (UTF-8 with a BOM) or XLSX, through the export's own
//! cell rules (a cell that would start a formula is quoted). ID numbers
//! are masked: the roster names the person, and the claim's reviewers
//! reveal a whole number in the workspace when they need it (recorded).

use super::export::{ExportError, Format, excel_safe};
use std::path::PathBuf;

/// The columns (Chinese, the roster's language; English beside for `--lang en`).
pub const COLUMNS: [(&str, &str); 16] = [
    ("申报编号", "claim"),
    ("状态", "state"),
    ("培训班", "class"),
    ("培训机构", "institution"),
    ("专项", "program"),
    ("季度", "quarter"),
    ("工种", "occupation"),
    ("服务记录", "case"),
    ("姓名", "name"),
    ("身份证号", "id_number"),
    ("等级", "level"),
    ("重点群体", "key_group"),
    ("是否符合", "eligible"),
    ("原因", "reason"),
    ("补贴金额（元）", "amount_yuan"),
    ("标准", "standard"),
];

/// The file's bytes: CSV or XLSX.
pub fn render(format: Format, rows: &[Vec<String>], en: bool) -> Result<Vec<u8>, ExportError> {
    let header: Vec<&str> = COLUMNS.iter().map(|(zh, e)| if en { *e } else { *zh }).collect();
    let io = |source| ExportError::Io {
        path: PathBuf::from("-"),
        source,
    };
    match format {
        Format::Csv | Format::Json | Format::Html => {
            let mut out = Vec::new();
            {
                let mut w = csv::Writer::from_writer(&mut out);
                w.write_record(&header).map_err(|e| io(e.into()))?;
                for r in rows {
                    w.write_record(r.iter().map(|c| excel_safe(c).into_owned()))
                        .map_err(|e| io(e.into()))?;
                }
                w.flush().map_err(io)?;
            }
            Ok([&[0xEF, 0xBB, 0xBF][..], &out].concat())
        }
        Format::Xlsx => {
            use rust_xlsxwriter::{Format as Style, Workbook};
            let xerr = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
            let mut wb = Workbook::new();
            let bold = Style::new().set_bold();
            let sheet = wb.add_worksheet();
            sheet.set_name(if en { "claims" } else { "申报花名册" }).map_err(xerr)?;
            for (c, h) in header.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(xerr)?;
                sheet.set_column_width(c as u16, 16.0).map_err(xerr)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(xerr)?;
            for (i, r) in rows.iter().enumerate() {
                let row = u32::try_from(i + 1).map_err(|_| ExportError::Xlsx("more rows than a sheet holds".into()))?;
                for (c, v) in r.iter().enumerate() {
                    if c == 14
                        && let Ok(n) = v.parse::<u32>()
                    {
                        sheet.write_number(row, c as u16, f64::from(n)).map_err(xerr)?;
                    } else if !v.is_empty() {
                        sheet.write_string(row, c as u16, v).map_err(xerr)?;
                    }
                }
            }
            wb.save_to_buffer().map_err(xerr)
        }
    }
}
