#!/usr/bin/env python3
"""Dump the structure fstd2nc gives an FST file, as JSON, for fst24's dataset-plan tests.

Usage (in a venv with `fstd2nc fstd2nc-deps 'numpy<2' xarray`):

    python compare_plan.py FILE.fst [--forecast-axis] -o expected/NAME.json

The JSON is naming-neutral so fst24's plan can be compared with it although the two
name shared axes differently (fstd2nc: `level1`, `time2`; fst24: `level`, `time_1`):

- `variables`: for every data variable with a horizontal grid, its dims as
  `{name, role, len}` (role: time, forecast, Z, Y, X, k) and the names of its lat/lon
  coordinates;
- `axes`: values of every dimension coordinate (times as hours since 1970-01-01 UTC), its
  CF attributes (standard_name, units, positive, formula) and, for vertical axes, the
  `aux` coordinates along it (a, b, ap, c) by base name;
- `latlon`: values of every latitude/longitude coordinate (C order, 1-D or 2-D flattened).

Floats are rounded to 7 significant digits (fstd2nc keeps levels and lat/lon as float32).
This is peer output (fstd2nc + librmn through rpnpy), never fst24's.
"""

import argparse
import json
import os
import warnings

import numpy as np


def g7(x):
    x = float(x)
    if np.isnan(x):
        return None
    return float("%.7g" % x)


def role_of(ds, dim, position, ndim):
    if dim in ds.coords:
        atts = ds[dim].attrs
        axis = atts.get("axis")
        if dim.startswith("forecast"):
            return "forecast"
        if axis == "T" or np.issubdtype(ds[dim].dtype, np.datetime64):
            return "time"
        if axis in ("Z", "Y", "X"):
            return axis
    if position == ndim - 1:
        return "X"
    if position == ndim - 2:
        return "Y"
    if dim.startswith("k"):
        return "k"
    return "?"


def axis_values(ds, dim):
    values = ds[dim].values
    if np.issubdtype(values.dtype, np.datetime64):
        hours = (values - np.datetime64("1970-01-01T00:00:00")) / np.timedelta64(1, "h")
        return [g7(v) for v in hours]
    if np.issubdtype(values.dtype, np.timedelta64):
        return [g7(v) for v in values / np.timedelta64(1, "h")]
    return [g7(v) for v in np.asarray(values, dtype="float64").ravel()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fst")
    parser.add_argument("--forecast-axis", action="store_true")
    parser.add_argument("--no-latlon", action="store_true", help="omit lat/lon values")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    warnings.simplefilter("ignore")
    import fstd2nc

    buf = fstd2nc.Buffer(args.fst, forecast_axis=args.forecast_axis)
    ds = buf.to_xarray()

    variables, axes, latlon = {}, {}, {}
    for name, var in ds.data_vars.items():
        if var.ndim < 2:
            continue
        dims = []
        for k, d in enumerate(var.dims):
            role = role_of(ds, d, k, var.ndim)
            dims.append({"name": d, "role": role, "len": int(ds.sizes[d])})
            if d in ds.coords and d not in axes:
                atts = {
                    key: str(ds[d].attrs[key])
                    for key in ("standard_name", "units", "positive", "formula")
                    if key in ds[d].attrs
                }
                aux = {}
                if role == "Z":
                    # a/b/ap/c along the axis, by base name (fstd2nc: a_1, b_1...).
                    for cname, coord in ds.coords.items():
                        if coord.dims == (d,) and cname != d:
                            aux[cname.split("_")[0]] = axis_values(ds, cname)
                axes[d] = {"role": role, "values": axis_values(ds, d), "attrs": atts, "aux": aux}
        coords = {}
        for cname, coord in var.coords.items():
            std = coord.attrs.get("standard_name")
            if std in ("latitude", "longitude"):
                coords["lat" if std == "latitude" else "lon"] = cname
                if cname not in latlon and not args.no_latlon:
                    latlon[cname] = [g7(v) for v in np.asarray(coord.values, "float64").ravel()]
        mapping = {}
        gm = var.attrs.get("grid_mapping") or var.encoding.get("grid_mapping")
        if gm in ds.variables:
            for key, value in ds[gm].attrs.items():
                if isinstance(value, str):
                    mapping[key] = value
                elif np.ndim(value) == 0:
                    mapping[key] = g7(value)
        variables[name] = {"dims": dims, "latlon": coords, "grid_mapping": mapping}

    out = {
        "producer": {"fstd2nc": fstd2nc.__version__, "xarray": __import__("xarray").__version__},
        "file": os.path.basename(args.fst),
        "options": {"forecast_axis": args.forecast_axis},
        "variables": variables,
        "axes": axes,
        "latlon": latlon,
    }
    with open(args.output, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
