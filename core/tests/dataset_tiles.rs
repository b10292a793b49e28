//! `#` tiled grids: the file written with librmn by `tests/fstd2nc_compare/make_tiles.py`
//! (see `write_tile_case` in `bindings-python/tests/rpn_cases.py`): ME and TT as four 4x3
//! tiles of an 8x6 Z grid on an L reference, TT's tile at i 5, j 4 missing at 850 hPa.

use fst24::dataset::{plan, read_variable, DatasetPlan, PlanOptions, Tile, VarPlan};
use fst24::{DecodeOptions, File, Values};

fn tiles_file() -> File {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fstd2nc_compare");
    File::open(dir.join("data/tiles.fst")).unwrap()
}

fn var<'a>(p: &'a DatasetPlan, name: &str) -> &'a VarPlan {
    p.variable(name).unwrap_or_else(|| {
        let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
        panic!("no variable {name} in {names:?}")
    })
}

#[test]
fn tiles_make_one_variable_on_the_full_grid() {
    let file = tiles_file();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["ME", "TT"]);
    let quad = [(0, 0), (4, 0), (0, 3), (4, 3)].map(|(i0, j0)| Tile {
        i0,
        j0,
        ni: 4,
        nj: 3,
    });
    for v in &p.variables {
        assert_eq!(v.tiles, quad, "{}", v.name);
        assert_eq!(v.shape[v.outer_ndim..], [6, 8], "{}", v.name);
        // The full grid's axes: the >> and ^^ values (Z grid on an L reference).
        let x = p.coord(&v.dims[v.dims.len() - 1]).unwrap();
        let y = p.coord(&v.dims[v.dims.len() - 2]).unwrap();
        assert_eq!(
            x.values,
            Values::F64(vec![250.0, 251.5, 253.0, 256.0, 257.0, 259.5, 262.0, 263.0])
        );
        assert_eq!(
            y.values,
            Values::F64(vec![40.0, 42.0, 45.0, 47.5, 50.0, 60.0])
        );
        assert!(!v.attrs.iter().any(|(k, _)| k == "ig3" || k == "ig4"));
    }
    let tt = var(&p, "TT");
    assert_eq!(tt.records.len(), 2 * 4);
    assert_eq!(tt.records.iter().filter(|r| r.is_none()).count(), 1);
    assert!(tt.records[7].is_none(), "the 850 hPa tile at i 5, j 4");
}

#[test]
fn tiles_are_placed_by_ig3_ig4() {
    let file = tiles_file();
    let p = plan(&[&file], &PlanOptions::default()).unwrap();
    for name in ["ME", "TT"] {
        let v = var(&p, name);
        let Values::F32(full) = read_variable(&[&file], v, &DecodeOptions::default()).unwrap()
        else {
            panic!("{name} is not f32")
        };
        let (nj, ni) = (6, 8);
        let slots = v.records.len() / v.tiles.len();
        for slot in 0..slots {
            let grid = &full[slot * ni * nj..(slot + 1) * ni * nj];
            for (t, tile) in v.tiles.iter().enumerate() {
                let stored = v.records[slot * v.tiles.len() + t].map(|(_, r)| {
                    let Values::F32(s) = file.read(r).unwrap().values else {
                        panic!()
                    };
                    s
                });
                for j in 0..tile.nj {
                    for i in 0..tile.ni {
                        let x = grid[(tile.j0 + j) * ni + tile.i0 + i];
                        match &stored {
                            Some(s) => assert_eq!(x, s[j * tile.ni + i], "{name} {slot} {t}"),
                            None => assert!(x.is_nan(), "{name} {slot} {t}: {x}"),
                        }
                    }
                }
            }
        }
    }
}
