#!/usr/bin/env python3
"""Write fields on a `#` tiled grid with librmn (rpnpy from `fstd2nc-deps`): the file
`core/tests/dataset_tiles.rs` reads. The case is `write_tile_case` of
`bindings-python/tests/rpn_cases.py` (the Python tests write the same file at test time
and compare with ezscint and fstd2nc): `>>`/`^^` of an 8x6 Z grid on an L reference,
`ME` and `TT` (500, 850 hPa) as four 4x3 tiles each, TT's tile at i 5, j 4 missing at
850 hPa.

Usage (venv with `fstd2nc-deps 'numpy<2'`), from this folder:

    python make_tiles.py data/tiles.fst

Peer output, not fst24's.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "bindings-python" / "tests"))

from rpn_cases import write_tile_case  # noqa: E402

if __name__ == "__main__":
    write_tile_case(Path(sys.argv[1]))
