//! The city's reference data edited while the service runs: the change is
//! checked whole, written with its access record in one transaction, the
//! process's catalog swapped (every session, local or over SSH, reads the
//! same one), and the records and search indexes rebuilt so a search finds
//! a new alias at once; the version bump redraws every open screen.

use super::{Actor, Service};
use crate::domain::access::Action;
use crate::domain::catalog;
use crate::domain::*;
use crate::pack::Pack;
use crate::pack::edit::{CatalogEdit, CatalogError, apply};
use crate::store::{AccessEvent, AccessKind};

impl Service {
    /// Carry out one change of the reference data for `by` (who needs the
    /// reference-data right). Returns what was done, as audited.
    pub fn edit_catalog(&self, by: &Actor, edit: &CatalogEdit) -> Result<String, CatalogError> {
        by.may(Action::ReferenceData)?;
        let detail = {
            let _gate = self.gate();
            let mut pack = self
                .store
                .pack()?
                .unwrap_or_else(|| Pack::from_catalog(catalog::current()));
            self.refuse_retiring_in_use(edit)?;
            let detail = apply(&mut pack, edit)?;
            let event = AccessEvent {
                at: chrono::Utc::now().timestamp(),
                operator: by.name.clone(),
                role: by.role.name().to_string(),
                what: AccessKind::Catalog,
                people: 0,
                detail: detail.clone(),
            };
            self.store.write_pack(&pack, Some(&event))?;
            catalog::install(pack.to_catalog());
            detail
        };
        // Every record's search text follows the catalog (aliases, names).
        self.reload()?;
        Ok(detail)
    }

    /// The city pack the database holds now.
    pub fn stored_pack(&self) -> crate::store::Result<Option<Pack>> {
        self.store.pack()
    }

    /// An occupation or region that open demands or classes still use is
    /// not retired.
    fn refuse_retiring_in_use(&self, edit: &CatalogEdit) -> Result<(), CatalogError> {
        let r = self.read();
        let open_class = |c: &TrainingClass| !matches!(c.status, ClassStatus::Finished | ClassStatus::Cancelled);
        let open_demand = |d: &JobDemand| d.status == DemandStatus::Open;
        let (what, name, open) = match edit {
            CatalogEdit::RetireOccupation(o) => (
                "occupation",
                o.zh(),
                r.data
                    .demands
                    .values()
                    .filter(|d| open_demand(d) && d.occupation == *o)
                    .count()
                    + r.data
                        .classes
                        .values()
                        .filter(|c| open_class(c) && c.occupation == *o)
                        .count(),
            ),
            CatalogEdit::RetireRegion(g) => (
                "region",
                g.zh(),
                r.data
                    .demands
                    .values()
                    .filter(|d| open_demand(d) && d.region == *g)
                    .count()
                    + r.data
                        .classes
                        .values()
                        .filter(|c| open_class(c) && c.region == *g)
                        .count(),
            ),
            _ => return Ok(()),
        };
        if open > 0 {
            return Err(CatalogError::InUse {
                what,
                name: name.to_string(),
                open,
            });
        }
        Ok(())
    }
}
