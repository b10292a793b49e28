//! Attribute values and the CF attribute tables (variables, grid mappings).

use crate::grid::{GridMapping, EARTH_RADIUS};

pub(crate) use crate::attr_value::{f, i, s};
pub use crate::attr_value::{AttrValue, Attrs};

/// `(standard_name, long_name, units)` of well-known nomvars, from fstd2nc's
/// `vardict`/`opdict` table (units as stored in the file, not converted).
pub(crate) fn nomvar_metadata(nomvar: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match nomvar {
        "TT" => ("air_temperature", "Air temperature", "degC"),
        "TD" => ("dew_point_temperature", "Dew point temperature", "degC"),
        "ES" => ("", "Dew point depression", "K"),
        "UU" => ("eastward_wind", "Wind along X axis", "knots"),
        "VV" => ("northward_wind", "Wind along Y axis", "knots"),
        "UV" => ("wind_speed", "Wind modulus", "knots"),
        "WW" => (
            "lagrangian_tendency_of_air_pressure",
            "Vertical motion",
            "Pa s-1",
        ),
        "GZ" => ("geopotential_height", "Geopotential height", "dam"),
        "HU" => ("specific_humidity", "Specific humidity", "kg kg-1"),
        "HR" => ("relative_humidity", "Relative humidity", "1"),
        "PN" => (
            "air_pressure_at_mean_sea_level",
            "Sea level pressure",
            "hPa",
        ),
        "P0" => ("surface_air_pressure", "Surface pressure", "hPa"),
        "PR" => ("precipitation_amount", "Accumulated precipitation", "m"),
        "TM" => ("sea_surface_temperature", "Sea surface temperature", "K"),
        "MX" => ("surface_altitude", "Topography", "m"),
        "ME" => ("surface_altitude", "Topography", "m"),
        "MG" => ("land_area_fraction", "Land-sea mask", "1"),
        "LG" => ("sea_ice_area_fraction", "Sea ice cover", "1"),
        "TJ" => ("air_temperature", "Screen temperature", "K"),
        "UD" => ("eastward_wind", "Screen level wind along X axis", "knots"),
        "VD" => ("northward_wind", "Screen level wind along Y axis", "knots"),
        "QC" => ("", "Cloud water mixing ratio", "kg kg-1"),
        "NT" => ("cloud_area_fraction", "Total cloud cover", "1"),
        "TH" => ("air_potential_temperature", "Potential temperature", "K"),
        _ => return None,
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
            // fstd2nc: the grid's x axis is at dgrw from Greenwich, so the meridian
            // pointing down the y axis is −(dgrw + 90).
            let mut central = -(dgrw + 90.0);
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
                    f("earth_radius", EARTH_RADIUS),
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
    format!(
        "DATUM[\"unknown\",ELLIPSOID[\"sphere\",{EARTH_RADIUS},0,LENGTHUNIT[\"metre\",1]]],\
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
        sphere()
    )
}
