//! The city's spreadsheets in and out, and whole-database backups.
//!
//! - `import`: read a CSV (UTF-8 with or without BOM, or GB18030/GBK), an
//!   `.xlsx` workbook or a JSON export, check every row with the store's own
//!   rules, and write the good rows in batches (`plan`, then `apply`).
//! - `export`: write what `import` reads (CSV or JSON), references by name.
//! - `backup`: a documented, versioned, checksummed snapshot of every record
//!   (cases and events included), and its restore into a new database.
//!
//! Library code: no terminal UI here, typed errors for callers to match on.

pub mod backup;
pub mod cells;
pub mod columns;
pub mod export;
pub mod import;
pub mod progress;
pub mod resolve;
pub mod salvage;
pub mod subsidy;
pub mod table;
