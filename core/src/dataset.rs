//! A backend-neutral *dataset plan*: how the records of one or more files become CF
//! variables, dimensions and coordinates (for xarray, netCDF or zarr writers).
//!
//! [`plan`] groups records the way fstd2nc does (`_var_id`): one variable per
//! nomvar + typvar + etiket + ni/nj/nk + ip1 kind + grtyp + ig1..ig4 (+ element type).
//! Its dimensions are `time` (validity date; or `time` = date of origin and `forecast`
//! = lead time with [`PlanOptions::forecast_axis`]), `ensemble_id` with
//! [`PlanOptions::ensembles`], the vertical axis of its ip1 kind
//! (see [`crate::vertical`]), `k` when nk > 1, then y and x (C order `(nj, ni)`: the
//! stored Fortran order with i fastest; only x for one-row fields without geography, as
//! fstd2nc). Each variable lists, for every index of its
//! non-spatial dimensions (C order), the `(file, record)` that holds it, or `None` for
//! a hole. Horizontal coordinates come from [`crate::grid::horizontal_grid`].
//!
//! ```no_run
//! use fst24::dataset::{plan, PlanOptions};
//! let file = fst24::File::open("model.fst")?;
//! let p = plan(&[&file], &PlanOptions::default())?;
//! for v in &p.variables {
//!     println!("{} {:?} {:?}", v.name, v.dims, v.shape);
//! }
//! # Ok::<(), fst24::Error>(())
//! ```
//!
//! # Deliberate differences from fstd2nc (0.20260914)
//!
//! - **Dimension names**: a shared axis keeps its base name (`time`, `level`, `pres`,
//!   `lat`…); only axes whose values really differ get a suffix `_1`, `_2`… (fstd2nc
//!   numbers every axis as soon as two exist: `time1`, `level1`). Auxiliary vertical
//!   coordinates follow their axis (`a_1`, `b_1` go with `level_1`).
//! - **Variables in file order** of their first record; names are the nomvar, with a
//!   suffix only on collision, chosen as fstd2nc does: from etiket, typvar,
//!   `<ni>x<nj>`, level type (`diag_level`, `model_levels`…), `vgrid<ip1 kind>`, grtyp
//!   and `grid_<ig1>_<ig2>_<ig3>_<ig4>`, the parts that vary, dropping from the right
//!   those not needed (`LV_vgrid5`, `TT_P`); `_1`, `_2`… when only the element type
//!   differs.
//! - **`leadtime`/`reftime`** are coordinates (fstd2nc makes them data variables) and
//!   only exist when each validity time has one lead time; `pref` is a scalar
//!   coordinate. Times are hours since the axis' first date (`units` attribute).
//! - **Variable attributes**: `standard_name`, `long_name` and `units` for common
//!   nomvars (TT, UU, VV, GZ, HU, P0, PN, ES…; units as stored, e.g. TT in degC, UU in
//!   knots), which fstd2nc only adds with its `opdict` table.
//! - **Raw FST keys** (nomvar, typvar, etiket, datyp, nbits, grtyp, ig1..ig4, and ip1,
//!   ip2, ip3, deet, npas when constant) are kept as attributes; fstd2nc strips them.
//! - **Element type** is part of a variable's identity: records of one nomvar that decode
//!   to different types (e.g. E32 and E64) become separate variables.
//! - **Duplicates** (two records for one slot) keep the last in file order, like fstd2nc,
//!   with a warning in [`DatasetPlan::warnings`]; holes too get a warning.
//! - **Rotated E grids** given by ig1..ig4 get rlat/rlon (fstd2nc gives them only 2-D
//!   lat/lon on `j`/`i`). Y and U grids use `j`/`i` dims and 2-D lat/lon (fstd2nc:
//!   `y`/`x` for U); U grids have no grid-mapping variable (fstd2nc: a non-CF list).
//! - **Unresolvable grids** (Z/Y/U whose `>>`/`^^`/`^>` are missing or inconsistent)
//!   do not fail the plan: the variable gets `j`/`i` dims without lat/lon and a warning
//!   ([`crate::grid::horizontal_grid`] itself returns the error). Undecodable `!!`
//!   tables keep only their vcode (ig1), with a warning: the axis gets the vcode's
//!   standard_name but no a/b, as fstd2nc.
//! - **Grid mappings** carry `crs_wkt` (WKT2) besides the CF parameters (fstd2nc puts a
//!   cartopy WKT in a global `_CRS` only when cartopy is installed).
//! - **Vertical** descriptors are picked as fstd2nc does (without
//!   `strict_vcoord_match`): the `!!` whose ip1/ip2 are the field's ig1/ig2, else the
//!   `HY` if there is one, else the only `!!` (or identical ones). The ip1 kind decides
//!   the axis family and the `!!` its variant (ln p for 5002–5005/5100; SLEVE for 5100,
//!   and 21001/21002 whose rcoef3/rcoef4 are set and differ from rcoef1/rcoef2, with
//!   fstd2nc's `az`, `b1`, `b2`); a/b/c and the formula only come when the table lists
//!   every level.
//!   Unlike fstd2nc, 5003's next-to-last momentum level keeps its own A/B (fstd2nc
//!   replaces them by the mean of the last two thermodynamic ones), and ip1 kinds 7,
//!   10, 15 and 17 are decoded (librmn 019 under fstd2nc reads them as 0 m).
//! - **Diagnostic levels** (the 10 m / 1.5 m heights listed by 5005, 5100, 21001 and
//!   21002 descriptors) are filed as hybrid level 1.0, with that level's coefficients,
//!   as fstd2nc's default; a duplicate at 1.0 keeps the last record in file order. As
//!   in fstd2nc, a nomvar goes back to its own `height` levels when one of its
//!   variables would then be a single record or have holes.
//! - **3-D records** (nk > 1) get a `k` dimension before y/x (fstd2nc drops nk).
//! - **Ensembles** ([`PlanOptions::ensembles`], fstd2nc's `ensembles=True`): records
//!   that differ only by etiket make one variable with an `ensemble_id` dimension after
//!   the time axes (`time`, `forecast` if any, `ensemble_id`, level, …), etikets sorted, as
//!   fstd2nc. Its labels are the `ensemble` coordinate on `(ensemble_id,
//!   ensemble_strlen)`: NUL-padded [`Values::Chars`] rows 12 wide, the stored etiket
//!   width (fstd2nc's netCDF layout; its xarray output, like ours, shows them as `|S12`
//!   strings). Variables with another
//!   set of etikets get `ensemble_id_1` / `ensemble_1` (fstd2nc: `ensemble_id1`,
//!   `ensemble_1`); a missing member record is a hole; `etiket` stays an attribute only
//!   when constant.
//! - **Masks**: a field of typvar `X@` is masked by the `@@` (or `!@`) record of the
//!   same file, nomvar, etiket, datev, ip1..ip3 and grid, as fstd2nc pairs them; its
//!   masked points (mask ≤ 0) read as missing ([`VarPlan::masks`]). fstd2nc drops the
//!   mask records; here they become a mask variable on the field's own dimensions,
//!   named `<variable>_mask` by the field's `ancillary_variables` (CF 3.4), with
//!   `flag_values = 0, 1` and `flag_meanings = "masked valid"` (CF 3.5). Masks that fit
//!   no field stay ordinary variables. fstd2nc's fill is 1e30 with `_FillValue`; ours is
//!   NaN for reals and librmn's marker for integers (the +64 convention).
//! - **`#` tiled grids**: the tiles of one field (same keys but ni, nj, ig3, ig4)
//!   are one variable on the full grid, its lat/lon those of the Z grid the `>>`/`^^`
//!   records tagged ig1/ig2 describe; each tile lies at the 1-based i = ig3, j = ig4
//!   ([`VarPlan::tiles`]), as librmn and fstd2nc define them. Points no tile covers, and
//!   missing tiles, read as missing. Tiles that overlap or fall outside the full grid
//!   are a format error. Without `>>`/`^^` the full grid is the tiles' extent, without
//!   coordinates (warning).
//! - **Computed pressure and height** ([`PlanOptions::pressure`], [`PlanOptions::height`],
//!   fstd2nc's `add_px`/`add_gz`): `PX` (hPa) / `GZ` (m) variables with the dims of the
//!   fields on model levels, one per dims and level coefficients (fstd2nc: one), read
//!   through [`VarPlan::derived`]. They follow vgrid's `vgd_levels`: a diagnostic height
//!   filed at level 1.0 gets its own row (fstd2nc: hybrid 1.0's), 5003 keeps its own
//!   A/B, a `!!` listing the fields' ip1s wins over a legacy `HY`, and 1002 needs no
//!   `PT` field (fstd2nc fails). Tiled (`#`) fields get none.
//! - **Accumulation, series, meshes** are not handled: such
//!   records are planned as ordinary variables. Character records (datyp 3, 7) and
//!   descriptor records (`>>`, `^^`, `^>`, `!!`, `HY`, …) are not variables.
//! - **Missing values**: variables with +64 records, masks, or holes in an integer
//!   variable have `missing = true`; read them with [`crate::MissingMode::Nan`]
//!   (fstd2nc treats the field maximum as missing). Holes read as NaN (reals) or
//!   librmn's integer marker.
//! - Coordinate values are f64 (fstd2nc: float32 for levels and lat/lon); lat/lon agree
//!   with ezscint to ≤ 6e-5° (exactly for L, N, S, A, B, Z-on-L and Y grids).
//! - **Sparse tables**: a variable whose (time, level) table has more than 2²⁰ slots and
//!   is less than 1/8 full is a format error ("do not form a hypercube") rather than a
//!   mostly empty array.

mod attrs;
mod aux_coords;
mod derived;
mod ensemble;
mod formula;
mod grouping;
mod horizontal;
mod levels;
mod masks;
mod names;
mod plan;
mod read;
mod rename;
mod tiles;
mod time_axis;

pub use attrs::{AttrValue, Attrs};
pub use plan::plan;
pub use read::{check_records, check_variable, locate, read_variable, read_variable_into};

use crate::error::Result;
use crate::file::File;
use crate::record::ElementType;
pub use crate::vertical::{LevelCoefficients, LevelFormula};
use crate::Values;

/// Options of [`plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PlanOptions {
    /// Two time dimensions: `time` (date of origin, `forecast_reference_time`) and
    /// `forecast` (lead time in hours) instead of one validity time.
    pub forecast_axis: bool,
    /// Do not split variables by typvar.
    pub ignore_typvar: bool,
    /// Do not split variables by etiket.
    pub ignore_etiket: bool,
    /// Collect the etikets of one variable into an `ensemble_id` dimension (after the
    /// time axes) labelled by an `ensemble` coordinate, as fstd2nc's `ensembles=True`.
    pub ensembles: bool,
    /// Add the pressure on model levels (`PX`, hPa) of every vertical axis whose
    /// descriptor defines it and whose surface pressure (`P0`, `P0LS`) is in the
    /// files, computed as vgrid's `vgd_levels` (fstd2nc's `add_px`).
    pub pressure: bool,
    /// Add the height of hybrid-height levels (`GZ`, m; vcodes 21001/21002) from the
    /// orography `ME` (`MELS`), as vgrid's `vgd_levels` (fstd2nc's `add_gz`).
    pub height: bool,
    /// Leave the 2-D lat/lon of rotated grids empty and list them in
    /// [`DatasetPlan::deferred`] ([`deferred_values`] computes them): a lazy reader
    /// then pays for the trigonometry of every point only when they are read.
    pub defer_latlon: bool,
}

impl PlanOptions {
    /// Options with the ensemble (etiket) axis on or off.
    pub fn with_ensembles(mut self, on: bool) -> Self {
        self.ensembles = on;
        self
    }

    /// Options with computed pressure (`PX`) on or off.
    pub fn with_pressure(mut self, on: bool) -> Self {
        self.pressure = on;
        self
    }

    /// Options with deferred rotated-grid lat/lon ([`PlanOptions::defer_latlon`]).
    pub fn with_deferred_latlon(mut self, on: bool) -> Self {
        self.defer_latlon = on;
        self
    }

    /// Options with computed height (`GZ`) on or off.
    pub fn with_height(mut self, on: bool) -> Self {
        self.height = on;
        self
    }

    /// Options with the forecast axis on or off.
    pub fn with_forecast_axis(mut self, on: bool) -> Self {
        self.forecast_axis = on;
        self
    }
}

/// A dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dim {
    /// Unique name.
    pub name: String,
    /// Length.
    pub len: usize,
}

/// A coordinate variable (1-D axis, 2-D lat/lon, auxiliary or scalar).
#[derive(Debug, Clone, PartialEq)]
pub struct Coord {
    /// Unique name.
    pub name: String,
    /// Its dimensions (empty for scalars).
    pub dims: Vec<String>,
    /// Values, C order over `dims`.
    pub values: Values,
    /// CF attributes.
    pub attrs: Attrs,
}

/// Where a tile (a record of a `#` grid) lies in its full grid: 0-based first point
/// (librmn's ig3 − 1, ig4 − 1) and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    /// First column (i) in the full grid, 0-based.
    pub i0: usize,
    /// First row (j) in the full grid, 0-based.
    pub j0: usize,
    /// Columns.
    pub ni: usize,
    /// Rows.
    pub nj: usize,
}

/// A data variable and where its records are.
#[derive(Debug, Clone, PartialEq)]
pub struct VarPlan {
    /// Unique name.
    pub name: String,
    /// Dimensions, outer (record-indexing) ones first, then `k` (if nk > 1), y (absent
    /// for one-row fields without geography), x.
    pub dims: Vec<String>,
    /// Length of each dimension.
    pub shape: Vec<usize>,
    /// How many leading dimensions index records.
    pub outer_ndim: usize,
    /// Element type the data decodes to.
    pub dtype: ElementType,
    /// `(file index, record index)` for every index of the outer dimensions (C order);
    /// `None` where no record exists. A tiled variable has one entry per tile of each
    /// index (`tiles.len()` consecutive entries, in the order of `tiles`).
    pub records: Vec<Option<(usize, usize)>>,
    /// The tiles of a `#` grid (empty otherwise): where each record of an index lies in
    /// the full grid the variable's y/x dimensions span.
    pub tiles: Vec<Tile>,
    /// The mask record (`@@`) of each record, parallel to `records`, or empty when the
    /// variable has no mask: points where it is 0 read as missing (see [`VarPlan::missing`]).
    pub masks: Vec<Option<(usize, usize)>>,
    /// CF attributes and the original FST keys.
    pub attrs: Attrs,
    /// Whether some points read as missing (NaN for reals, librmn's marker for
    /// integers: signed minimum, unsigned maximum): records with missing values
    /// (datyp + 64), masked records, and holes of integer variables.
    pub missing: bool,
    /// For a computed variable (pressure, height; see [`PlanOptions::pressure`]): how
    /// its values follow from `records`, which are then its surface field's records
    /// (`P0`, `ME`) for every slot (`None` where the level needs none or it is missing).
    pub derived: Option<Derived>,
}

/// How a computed variable's values follow from its surface records (see
/// [`crate::vertical::LevelFormula`]): `A`, `B`, `C` of each slot's level.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The descriptor's formula.
    pub formula: LevelFormula,
    /// Coefficients of each slot's level, parallel to [`VarPlan::records`].
    pub levels: Vec<LevelCoefficients>,
    /// The large-scale surface record (`P0LS`, `MELS`) of each slot for SLEVE formulas,
    /// parallel to [`VarPlan::records`]; empty otherwise.
    pub large_scale: Vec<Option<(usize, usize)>>,
}

impl VarPlan {
    /// Values of one record (`nk·nj·ni`), saturating: dimensions come from headers, and a
    /// saturated length is then refused by the limits instead of wrapping around.
    pub fn record_len(&self) -> usize {
        saturating_product(&self.shape[self.outer_ndim..])
    }

    /// Total number of values (saturating, as [`VarPlan::record_len`]).
    pub fn len(&self) -> usize {
        saturating_product(&self.shape)
    }

    /// Bytes of `values` values of this variable's element type (saturating).
    pub fn bytes_of(&self, values: usize) -> u64 {
        (values as u64).saturating_mul(self.dtype.size() as u64)
    }

    /// Whether the variable has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn saturating_product(dims: &[usize]) -> usize {
    dims.iter().fold(1usize, |acc, &n| acc.saturating_mul(n))
}

/// The whole dataset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DatasetPlan {
    /// Every dimension.
    pub dims: Vec<Dim>,
    /// Coordinates: 1-D axes, 2-D lat/lon, a/b/ap/c, scalars (`pref`, `reftime`) and the
    /// grid-mapping variables (no dims, one `I32` 0, CF parameters in `attrs`).
    pub coords: Vec<Coord>,
    /// Data variables.
    pub variables: Vec<VarPlan>,
    /// Global attributes (`Conventions`).
    pub attrs: Attrs,
    /// What was dropped or guessed (duplicates, holes, grids without coordinates).
    pub warnings: Vec<String>,
    /// Coordinates whose values were left empty ([`PlanOptions::defer_latlon`]).
    pub deferred: Vec<DeferredCoord>,
}

/// A 2-D latitude or longitude coordinate of a planned dataset whose values are computed
/// on request ([`deferred_values`]), from the grid of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeferredCoord {
    /// The coordinate's name in [`DatasetPlan::coords`].
    pub name: String,
    /// Index of the record's file in the planned files.
    pub file: usize,
    /// The record whose grid it is.
    pub record: usize,
    /// Latitude (else longitude).
    pub latitude: bool,
}

/// The values of a deferred coordinate: the latitude or longitude (degrees, f64, j
/// slowest) of every point of its record's grid, as [`plan`] computes them otherwise.
///
/// # Errors
/// The record's grid no longer decodes (the files are not those planned), or I/O.
pub fn deferred_values(files: &[&File], coord: &DeferredCoord) -> Result<Values> {
    let file = files.get(coord.file).ok_or_else(|| {
        crate::Error::from(crate::error::UsageError::InvalidArgument(format!(
            "plan refers to file {}, not given",
            coord.file
        )))
    })?;
    let header = file.record(coord.record)?.header;
    let grid = crate::grid::horizontal_grid(files, coord.file, &header, coord.record)?;
    let grid = grid.ok_or_else(|| {
        crate::Error::from(crate::error::UsageError::InvalidArgument(format!(
            "record {} has no grid coordinates",
            coord.record
        )))
    })?;
    Ok(Values::F64(if coord.latitude {
        grid.lat
    } else {
        grid.lon
    }))
}

impl DatasetPlan {
    /// The variable called `name`.
    pub fn variable(&self, name: &str) -> Option<&VarPlan> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// The coordinate called `name`.
    pub fn coord(&self, name: &str) -> Option<&Coord> {
        self.coords.iter().find(|c| c.name == name)
    }

    /// The length of dimension `name`.
    pub fn dim_len(&self, name: &str) -> Option<usize> {
        self.dims.iter().find(|d| d.name == name).map(|d| d.len)
    }
}
