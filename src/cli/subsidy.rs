//! `skillbridge claims`: training-subsidy claims from the command line —
//! list them, build one from a finished class, take a step (申报, 初审,
//! 复核, 拨付, 退回), print the ledger, export the 申报花名册; and
//! `skillbridge import standards FILE`.

use super::{Globals, access, open_existing};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use skillbridge::domain::ClassId;
use skillbridge::domain::subsidy::{ClaimId, Step, ledger, ledger_total};
use skillbridge::i18n::Lang;
use skillbridge::io::export::Format;
use skillbridge::say::Say;
use skillbridge::service::Service;
use skillbridge::service::access::{AccessKind, Action, Actor};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The options of `skillbridge claims`.
#[derive(Args, Debug)]
pub struct ClaimsArgs {
    #[command(subcommand)]
    pub command: Option<ClaimsCommand>,
}

#[derive(Subcommand, Debug)]
pub enum ClaimsCommand {
    /// List the claims (the default).
    List,
    /// Build a draft claim from a finished class's roster (e.g. C12).
    Build { class: String },
    /// 申报: file a draft claim (its roster is assessed again).
    File { claim: String },
    /// 初审通过.
    First { claim: String },
    /// 复核通过 (by another reviewer than 初审 when the table asks for two).
    Second { claim: String },
    /// 拨付: record the payment of an approved claim.
    Pay { claim: String },
    /// 退回: send a filed claim back to draft, with the reason.
    Return {
        claim: String,
        #[arg(long)]
        reason: String,
    },
    /// The ledger per institution, program and quarter.
    Ledger,
    /// Write the 申报花名册 (every person on every claim) as CSV or XLSX.
    Export {
        #[arg(long, default_value = "csv", value_name = "csv|xlsx")]
        format: Format,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

fn claim_id(s: &str) -> Result<ClaimId> {
    ClaimId::parse(s).with_context(|| format!("'{s}' is not a claim number: expected S followed by digits, e.g. S12"))
}

fn class_id(s: &str) -> Result<ClassId> {
    let t = s.trim();
    t.strip_prefix(['C', 'c'])
        .unwrap_or(t)
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .map(ClassId)
        .with_context(|| format!("'{s}' is not a class code: expected C followed by digits, e.g. C12"))
}

/// `skillbridge claims …`.
pub fn claims(g: &Globals, args: ClaimsArgs) -> Result<ExitCode> {
    let lang = g.cli_lang()?;
    let en = lang == Lang::En;
    let cmd = args.command.unwrap_or(ClaimsCommand::List);
    let need = match &cmd {
        ClaimsCommand::List | ClaimsCommand::Ledger => Action::Read,
        ClaimsCommand::Build { .. } | ClaimsCommand::File { .. } => Action::SubsidyFile,
        ClaimsCommand::Export { .. } => Action::Export,
        _ => Action::SubsidyReview,
    };
    let by = access::require(g, need)?;
    let svc = Service::open(open_existing(&g.db_path())?)?;
    let say = |e: skillbridge::store::StoreError| anyhow::anyhow!(e.say(lang));
    let step = |id: &str, step: Step| -> Result<ExitCode> {
        let c = svc.claim_step(claim_id(id)?, step, &by).map_err(say)?;
        println!("{}", line(&c, en));
        Ok(ExitCode::SUCCESS)
    };
    match cmd {
        ClaimsCommand::List => {
            for c in svc.claims() {
                println!("{}", line(&c, en));
            }
            Ok(ExitCode::SUCCESS)
        }
        ClaimsCommand::Build { class } => {
            let c = svc.build_claim(class_id(&class)?, &by).map_err(say)?;
            println!("{}", line(&c, en));
            Ok(ExitCode::SUCCESS)
        }
        ClaimsCommand::File { claim } => step(&claim, Step::File),
        ClaimsCommand::First { claim } => step(&claim, Step::FirstApprove),
        ClaimsCommand::Second { claim } => step(&claim, Step::SecondApprove),
        ClaimsCommand::Pay { claim } => step(&claim, Step::Pay),
        ClaimsCommand::Return { claim, reason } => step(&claim, Step::Return { reason }),
        ClaimsCommand::Ledger => {
            let claims = svc.claims();
            let rows = ledger(&claims);
            let r = svc.read();
            for row in rows.iter().chain(std::iter::once(&ledger_total(&rows))) {
                let inst = r
                    .data
                    .institution(row.institution)
                    .map(|i| i.name.as_str())
                    .unwrap_or(if en { "total" } else { "合计" });
                let prog = if row.quarter.is_none() {
                    ""
                } else if en {
                    row.program.en()
                } else {
                    row.program.zh()
                };
                println!(
                    "{inst}\t{prog}\t{}\t{}\t{}/{}\t{}/{}\t{}/{}\t{}/{}",
                    row.quarter.map(|q| q.to_string()).unwrap_or_default(),
                    row.claims,
                    row.claimed.people,
                    row.claimed.amount,
                    row.approved.people,
                    row.approved.amount,
                    row.paid.people,
                    row.paid.amount,
                    row.returned.people,
                    row.returned.amount
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ClaimsCommand::Export { format, out, force } => {
            if !matches!(format, Format::Csv | Format::Xlsx) {
                anyhow::bail!("the 申报花名册 is written as csv or xlsx, not {format}");
            }
            let claims = svc.claims();
            let (bytes, people) = {
                let r = svc.read();
                let rows = skillbridge::service::subsidy::roster_rows(&r.data, &claims, en);
                let people = rows.len();
                (
                    skillbridge::io::subsidy::render(format, &rows, en).map_err(|e| anyhow::anyhow!(e.say(lang)))?,
                    people,
                )
            };
            skillbridge::paths::write_private(&out, &bytes, force)
                .with_context(|| format!("cannot write the claims to {}", out.display()))?;
            svc.record_access(
                &by,
                AccessKind::Export,
                people as u64,
                &format!("subsidy claims (masked ID numbers) to {}", out.display()),
            )
            .map_err(say)?;
            println!("{people} lines of {} claims written to {}", claims.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One claim on one line.
fn line(c: &skillbridge::domain::subsidy::Claim, en: bool) -> String {
    let sample = match (c.sample, en) {
        (true, true) => " (sample standard)",
        (true, false) => "（示例标准）",
        _ => "",
    };
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}/{}\t{}{sample}",
        c.id,
        if en { c.state.en() } else { c.state.zh() },
        c.class,
        c.quarter,
        if en { c.occupation.en() } else { c.occupation.zh() },
        c.eligible(),
        c.lines.len(),
        c.total()
    )
}

/// `skillbridge import standards FILE`: replace the subsidy standard table.
pub fn import_standards(db: &Path, file: &Path, by: &Actor, lang: Lang) -> Result<ExitCode> {
    let svc = Service::open(open_existing(db)?)?;
    let s = svc
        .import_standards(file, by)
        .map_err(|e| anyhow::anyhow!(e.say(lang)))?;
    let label = match (s.sample, lang) {
        (true, Lang::Zh) => "示例标准",
        (true, Lang::En) => "sample standard",
        (false, Lang::Zh) => "本地标准",
        (false, Lang::En) => "city standard",
    };
    match lang {
        Lang::Zh => println!(
            "已导入补贴标准 {}（{label}）：{} 条标准，{} 个重点群体上浮，申报期限 {} 天，每人每年至多 {} 次",
            s.source,
            s.rows.len(),
            s.uplifts.len(),
            s.window_days,
            s.max_per_year
        ),
        Lang::En => println!(
            "imported the subsidy standards {} ({label}): {} rows, {} key-group uplifts, a {}-day filing window, at most {} a year",
            s.source,
            s.rows.len(),
            s.uplifts.len(),
            s.window_days,
            s.max_per_year
        ),
    }
    Ok(ExitCode::SUCCESS)
}
