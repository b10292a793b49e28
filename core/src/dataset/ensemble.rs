//! The `ensemble_id` axis of [`super::PlanOptions::ensembles`]: one index per etiket,
//! labelled by an `ensemble` coordinate of etiket strings.

use super::plan::Builder;
use super::Coord;
use crate::Values;

/// Stored width of an etiket.
const ETIKET_LEN: usize = 12;

impl Builder<'_> {
    /// The ensemble dimension over `etikets` (sorted, distinct, trimmed), shared by every
    /// variable with the same members. Its labels are a `ensemble` coordinate on
    /// `(ensemble_id, ensemble_strlen)`: NUL-padded characters, as fstd2nc writes them
    /// to netCDF (the xarray backend turns them into fixed-width byte strings).
    pub(super) fn ensemble_axis(&mut self, etikets: &[String]) -> String {
        let identity = etikets.join("\u{1}");
        let before = self.plan.dims.len();
        let dim = self.axis("ensemble_id", &identity, etikets.len(), None);
        if self.plan.dims.len() == before {
            return dim;
        }
        // fstd2nc keeps the stored 12-character width (`|S12`) whatever the etikets.
        let strlen = etikets
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max(ETIKET_LEN);
        let strlen_dim = self.axis("ensemble_strlen", &strlen.to_string(), strlen, None);
        let mut chars = vec![0u8; etikets.len() * strlen];
        for (row, etiket) in chars.chunks_mut(strlen).zip(etikets) {
            row[..etiket.len()].copy_from_slice(etiket.as_bytes());
        }
        let name = self.names.fresh("ensemble");
        self.plan.coords.push(Coord {
            name,
            dims: vec![dim.clone(), strlen_dim],
            values: Values::Chars(chars),
            // fstd2nc gives the labels no attributes.
            attrs: Vec::new(),
        });
        dim
    }
}
