#!/usr/bin/env python3
"""Write masked fields (`P@` + `@@` records) and an integer variable with a hole with
librmn (rpnpy from `fstd2nc-deps`): the file `core/tests/dataset_masks.rs` and the CLI
tests read. The cases are `write_mask_case` of `bindings-python/tests/rpn_cases.py`
(the Python tests write the same file at test time and compare with fstd2nc).

Usage (venv with `fstd2nc-deps 'numpy<2'`), from this folder:

    python make_masks.py data/masks.fst

Peer output, not fst24's.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "bindings-python" / "tests"))

from rpn_cases import write_mask_case  # noqa: E402

if __name__ == "__main__":
    write_mask_case(Path(sys.argv[1]))
