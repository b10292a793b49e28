//! Attribute values and the CF attribute tables (variables, grid mappings).

use crate::grid::{GridMapping, EARTH_RADIUS, POLAR_EARTH_RADIUS};

pub(crate) use crate::attr_value::{f, i, s};
pub use crate::attr_value::{AttrValue, Attrs};

/// CF metadata of a well-known nomvar (a line of `cf_names.tsv`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NomvarMeta {
    /// CF standard name on a grid whose axes point east and north ("" if none fits).
    pub standard_name: &'static str,
    /// CF standard name when the grid's axes are rotated (winds: `x_wind`, `y_wind`).
    pub grid_relative_name: &'static str,
    /// Human-readable name.
    pub long_name: &'static str,
    /// Units as stored in the file (not converted).
    pub units: &'static str,
}

/// The nomvar table, checked against the CF standard-name table by
/// `bindings-python/tests/test_63_cf_names.py`.
const CF_NAMES: &str = include_str!("cf_names.tsv");

/// CF metadata of a well-known nomvar, from fstd2nc's table with CF's names and units.
pub(crate) fn nomvar_metadata(nomvar: &str) -> Option<NomvarMeta> {
    CF_NAMES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|cols| cols.len() == 5 && cols[0] == nomvar)
        .map(|cols| NomvarMeta {
            standard_name: cols[1],
            grid_relative_name: if cols[2].is_empty() { cols[1] } else { cols[2] },
            long_name: cols[3],
            units: cols[4],
        })
}

/// CF name and attributes of a grid mapping, `None` for grids without one.
pub(crate) fn grid_mapping_attrs(mapping: &GridMapping) -> Option<(&'static str, Attrs)> {
    match *mapping {
        GridMapping::LatLon => Some((
            "crs_latlon",
            vec![
                s("grid_mapping_name", "latitude_longitude"),
                f("earth_radius", EARTH_RADIUS),
                s("crs_wkt", &latlon_wkt()),
            ],
        )),
        GridMapping::Rotated {
            grid_north_pole_latitude: plat,
            grid_north_pole_longitude: plon,
            north_pole_grid_longitude: npgl,
        } => Some((
            "rotated_pole",
            vec![
                s("grid_mapping_name", "rotated_latitude_longitude"),
                f("earth_radius", EARTH_RADIUS),
                f("grid_north_pole_latitude", plat),
                f("grid_north_pole_longitude", plon),
                f("north_pole_grid_longitude", npgl),
                s("crs_wkt", &rotated_wkt(plat, plon, npgl)),
            ],
        )),
        GridMapping::PolarStereographic {
            north,
            pi,
            pj,
            d60,
            dgrw,
        } => {
            let origin = if north { 90.0 } else { -90.0 };
            // librmn puts x = r·cos(λ + dgrw) on N grids and r·cos(dgrw − λ) on S grids
            // (`xyfll`), so the meridian along the y axis is −(dgrw + 90) on N grids and
            // dgrw − 90 on S grids (fstd2nc uses the N formula for both: 2·dgrw off).
            let mut central = if north { -(dgrw + 90.0) } else { dgrw - 90.0 };
            while central <= -180.0 {
                central += 360.0;
            }
            while central > 180.0 {
                central -= 360.0;
            }
            // True scale at 60°: k0 = (1 + sin 60°) / 2.
            let k0 = (1.0 + 60f64.to_radians().sin()) / 2.0;
            Some((
                "polar_stereo",
                vec![
                    s("grid_mapping_name", "polar_stereographic"),
                    // librmn's polar stereographic sphere, so that the mapping gives
                    // back the lat/lon (fstd2nc's 6370997 m moves them by 2e-5°).
                    f("earth_radius", POLAR_EARTH_RADIUS),
                    f("latitude_of_projection_origin", origin),
                    f("straight_vertical_longitude_from_pole", central),
                    f("scale_factor_at_projection_origin", k0),
                    f("resolution_at_standard_parallel", d60),
                    f("false_easting", (pi - 1.0) * d60),
                    f("false_northing", (pj - 1.0) * d60),
                    s(
                        "crs_wkt",
                        &polar_wkt(origin, central, k0, (pi - 1.0) * d60, (pj - 1.0) * d60),
                    ),
                ],
            ))
        }
        GridMapping::Curvilinear => None,
    }
}

fn sphere() -> String {
    sphere_of(EARTH_RADIUS)
}

fn sphere_of(radius: f64) -> String {
    format!(
        "DATUM[\"unknown\",ELLIPSOID[\"sphere\",{radius},0,LENGTHUNIT[\"metre\",1]]],\
         PRIMEM[\"Greenwich\",0,ANGLEUNIT[\"degree\",0.0174532925199433]]"
    )
}

fn latlon_wkt() -> String {
    format!(
        "GEOGCRS[\"unknown\",{},CS[ellipsoidal,2],\
         AXIS[\"latitude\",north,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],\
         AXIS[\"longitude\",east,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]]]",
        sphere()
    )
}

fn rotated_wkt(plat: f64, plon: f64, npgl: f64) -> String {
    format!(
        "GEOGCRS[\"unknown\",BASEGEOGCRS[\"unknown\",{}],\
         DERIVINGCONVERSION[\"Pole rotation (netCDF CF convention)\",\
         METHOD[\"Pole rotation (netCDF CF convention)\"],\
         PARAMETER[\"Grid north pole latitude (netCDF CF convention)\",{plat},ANGLEUNIT[\"degree\",0.0174532925199433]],\
         PARAMETER[\"Grid north pole longitude (netCDF CF convention)\",{plon},ANGLEUNIT[\"degree\",0.0174532925199433]],\
         PARAMETER[\"North pole grid longitude (netCDF CF convention)\",{npgl},ANGLEUNIT[\"degree\",0.0174532925199433]]],\
         CS[ellipsoidal,2],\
         AXIS[\"latitude\",north,ORDER[1],ANGLEUNIT[\"degree\",0.0174532925199433]],\
         AXIS[\"longitude\",east,ORDER[2],ANGLEUNIT[\"degree\",0.0174532925199433]]]",
        sphere()
    )
}

fn polar_wkt(origin: f64, central: f64, k0: f64, easting: f64, northing: f64) -> String {
    format!(
        "PROJCRS[\"unknown\",BASEGEOGCRS[\"unknown\",{}],\
         CONVERSION[\"unknown\",METHOD[\"Polar Stereographic (variant A)\",ID[\"EPSG\",9810]],\
         PARAMETER[\"Latitude of natural origin\",{origin},ANGLEUNIT[\"degree\",0.0174532925199433]],\
         PARAMETER[\"Longitude of natural origin\",{central},ANGLEUNIT[\"degree\",0.0174532925199433]],\
         PARAMETER[\"Scale factor at natural origin\",{k0},SCALEUNIT[\"unity\",1]],\
         PARAMETER[\"False easting\",{easting},LENGTHUNIT[\"metre\",1]],\
         PARAMETER[\"False northing\",{northing},LENGTHUNIT[\"metre\",1]]],\
         CS[Cartesian,2],AXIS[\"easting\",east,ORDER[1],LENGTHUNIT[\"metre\",1]],\
         AXIS[\"northing\",north,ORDER[2],LENGTHUNIT[\"metre\",1]]]",
        sphere_of(POLAR_EARTH_RADIUS)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nomvar_table_parses_and_winds_follow_the_grid() {
        let rows = CF_NAMES.lines().filter(|l| !l.starts_with('#'));
        for row in rows {
            assert_eq!(row.split('\t').count(), 5, "{row:?}");
        }
        let uu = nomvar_metadata("UU").unwrap();
        assert_eq!(
            (uu.standard_name, uu.grid_relative_name),
            ("eastward_wind", "x_wind")
        );
        let pr = nomvar_metadata("PR").unwrap();
        assert_eq!(
            (pr.standard_name, pr.units),
            ("lwe_thickness_of_precipitation_amount", "m")
        );
        assert_eq!(
            nomvar_metadata("TT").unwrap().grid_relative_name,
            "air_temperature"
        );
        assert!(nomvar_metadata("XX").is_none());
    }
}
