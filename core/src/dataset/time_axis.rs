//! Time keys of records and CF time coordinates ("hours since …").

use crate::time::stamp_to_unix;

/// Seconds since 1970 of a date stamp; `None` for "no date" stamps (0, −1, …).
pub(crate) fn stamp_seconds(stamp: i32) -> Option<i64> {
    stamp_to_unix(stamp)
}

/// `YYYY-MM-DD HH:MM:SS` of Unix seconds (proleptic Gregorian).
pub(crate) fn iso(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Hours between `seconds` and `reference`, NaN for a missing date.
pub(crate) fn hours_since(seconds: Option<i64>, reference: i64) -> f64 {
    seconds.map_or(f64::NAN, |s| (s - reference) as f64 / 3600.0)
}

use super::attrs::s;
use super::plan::{position, Builder, Member};
use super::Coord;
use crate::Values;

impl Builder<'_> {
    pub(super) fn time_axis(&mut self, times: &[i64], members: &[Member]) -> String {
        let known: Vec<i64> = times.iter().copied().filter(|&t| t != i64::MIN).collect();
        let reference = known.first().copied().unwrap_or(0);
        let values: Vec<f64> = times
            .iter()
            .map(|&t| hours_since((t != i64::MIN).then_some(t), reference))
            .collect();
        let (standard, long) = if self.options.forecast_axis {
            ("forecast_reference_time", "Date of origin")
        } else {
            ("time", "Validity time")
        };
        let attrs = vec![
            s("standard_name", standard),
            s("long_name", long),
            s("axis", "T"),
            s("units", &format!("hours since {}", iso(reference))),
            s("calendar", "gregorian"),
        ];
        let identity = format!("{}{times:?}", self.options.forecast_axis);
        let before = self.plan.dims.len();
        let name = self.axis(
            "time",
            &identity,
            times.len(),
            Some((Values::F64(values), attrs)),
        );
        if self.plan.dims.len() > before && !self.options.forecast_axis {
            self.lead_and_reference(&name, times, members, reference);
        }
        name
    }

    /// `leadtime(time)` and `reftime` (scalar if unique) when every validity time has
    /// one lead time.
    fn lead_and_reference(
        &mut self,
        time: &str,
        times: &[i64],
        members: &[Member],
        reference: i64,
    ) {
        let mut leads: Vec<Option<i64>> = vec![None; times.len()];
        for m in members {
            let t = position(times, &m.time.unwrap_or(i64::MIN));
            match leads[t] {
                Some(l) if l != m.lead => return,
                _ => leads[t] = Some(m.lead),
            }
        }
        let lead_hours: Vec<f64> = leads
            .iter()
            .map(|l| l.map_or(f64::NAN, |l| l as f64 / 3600.0))
            .collect();
        let refs: Vec<f64> = times
            .iter()
            .zip(&leads)
            .map(|(&t, l)| {
                if t == i64::MIN {
                    f64::NAN
                } else {
                    hours_since(Some(t - l.unwrap_or(0)), reference)
                }
            })
            .collect();
        let suffix = time.strip_prefix("time").unwrap_or("");
        let lead_name = self.names.fresh(&format!("leadtime{suffix}"));
        self.plan.coords.push(Coord {
            name: lead_name,
            dims: vec![time.to_string()],
            values: Values::F64(lead_hours),
            attrs: vec![
                s("standard_name", "forecast_period"),
                s("long_name", "Lead time (since forecast_reference_time)"),
                s("units", "hours"),
            ],
        });
        let ref_name = self.names.fresh(&format!("reftime{suffix}"));
        let unique = refs.windows(2).all(|w| w[0] == w[1]);
        let ref_attrs = vec![
            s("standard_name", "forecast_reference_time"),
            s("units", &format!("hours since {}", iso(reference))),
            s("calendar", "gregorian"),
        ];
        self.plan.coords.push(Coord {
            name: ref_name,
            dims: if unique {
                vec![]
            } else {
                vec![time.to_string()]
            },
            values: Values::F64(if unique {
                refs[..1.min(refs.len())].to_vec()
            } else {
                refs
            }),
            attrs: ref_attrs,
        });
    }

    pub(super) fn forecast_axis(&mut self, leads: &[i64]) -> String {
        let hours: Vec<f64> = leads.iter().map(|&l| l as f64 / 3600.0).collect();
        let attrs = vec![
            s("standard_name", "forecast_period"),
            s("long_name", "Lead time (since forecast_reference_time)"),
            s("units", "hours"),
        ];
        self.axis(
            "forecast",
            &format!("{leads:?}"),
            leads.len(),
            Some((Values::F64(hours), attrs)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso(0), "1970-01-01 00:00:00");
        assert_eq!(iso(951_782_400 + 3600 * 6 + 1800), "2000-02-29 06:30:00");
        assert_eq!(iso(-86_400), "1969-12-31 00:00:00");
    }
}
