"""Writing from Python never loses what a user owns: one creator per new file, a raising
``with`` block publishes nothing, killed writers leave the old or the new file, crashed
RSF files are repaired, parallel RSF writers (threads and processes) keep every record.
Plus what librmn expects of written keys: leading blanks kept, binary records of any
nbits, the file-level META record, 64-bit integers, keys in librmn's ranges."""

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import fst24


def field(seed, shape=(16, 8)):
    return np.asfortranarray(np.random.default_rng(seed).uniform(-5, 5, shape).astype(np.float32))


def temporaries(d):
    return [n for n in os.listdir(d) if ".fst24-tmp-" in n]


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_a_second_creator_is_refused(tmp_path, backend):
    p = tmp_path / "new.fst"
    with fst24.open(p, "w", backend=backend) as w:
        with pytest.raises(fst24.Error):
            fst24.open(p, "w", backend=backend)
        w.write(field(1), nomvar="TT", datyp=5, nbits=32)
    with pytest.raises(OSError, match="exists"):
        fst24.open(p, "w")
    with fst24.open(p) as f:
        assert len(f) == 1


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_concurrent_creators_in_threads(tmp_path, backend):
    for trial in range(10):
        p = tmp_path / f"c{trial}.fst"
        ok = []

        def create(t):
            try:
                with fst24.open(p, "w", backend=backend) as w:
                    for i in range(5):
                        w.write(field(i), nomvar="TT", ip2=t, ip3=i, datyp=5, nbits=32)
                ok.append(t)
            except (fst24.Error, OSError):
                pass

        threads = [threading.Thread(target=create, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(ok) <= 1
        if ok:
            with fst24.open(p) as f:
                assert sorted(f.to_polars()["ip2"].to_list()) == [ok[0]] * 5
        else:
            assert not p.exists()
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_an_exception_in_with_publishes_nothing(tmp_path, backend):
    p = tmp_path / "x.fst"
    with pytest.raises(RuntimeError):
        with fst24.open(p, "w", backend=backend) as w:
            w.write(field(1), nomvar="TT", datyp=5, nbits=32)
            raise RuntimeError("boom")
    assert not p.exists()
    with fst24.open(p, "w", backend=backend) as w:
        w.write(field(1), nomvar="OLD", datyp=5, nbits=32)
    before = p.read_bytes()
    with pytest.raises(RuntimeError):
        with fst24.open(p, "a") as w:
            w.write(field(2), nomvar="NEW", datyp=5, nbits=32)
            raise RuntimeError("boom")
    assert p.read_bytes() == before
    assert temporaries(tmp_path) == []


def test_xdf_append_through_a_symlink_keeps_the_link(tmp_path):
    real, link = tmp_path / "real.fst", tmp_path / "link.fst"
    with fst24.open(real, "w", backend="xdf") as w:
        w.write(field(1), nomvar="A", datyp=5, nbits=32)
    link.symlink_to("real.fst")
    with fst24.open(link, "a") as w:
        w.write(field(2), nomvar="B", datyp=5, nbits=32)
    assert link.is_symlink()
    with fst24.open(real) as f:
        assert len(f) == 2


CHILD = """
import sys, numpy as np, fst24
path, mode = sys.argv[1], sys.argv[2]
a = np.asfortranarray(np.arange(64 * 32, dtype=np.float32).reshape(64, 32))
with fst24.open(path, "a") as w:
    for i in range(200):
        w.write(a + i, nomvar="NEW", ip3=i, datyp=5, nbits=32)
        if mode == "rsf" and i % 10 == 9:
            w.flush()
"""


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_killed_python_writers_leave_old_or_new_state(tmp_path, backend):
    trials = int(os.environ.get("FST24_KILL_TRIALS", "20"))
    p = tmp_path / "k.fst"
    script = tmp_path / "child.py"
    script.write_text(CHILD)

    def old():
        if p.exists():
            p.unlink()
        with fst24.open(p, "w", backend=backend) as w:
            for i in range(3):
                w.write(field(i), nomvar="OLD", ip3=i, datyp=5, nbits=32)

    old()
    t0 = time.monotonic()
    subprocess.run([sys.executable, str(script), str(p), backend], check=True)
    span = max(0.05, (time.monotonic() - t0) * 1.2)
    rng = np.random.default_rng(7)
    outcomes = {"old": 0, "new": 0, "partial": 0}
    for _ in range(trials):
        old()
        c = subprocess.Popen([sys.executable, str(script), str(p), backend])
        time.sleep(rng.uniform(0, span))
        c.send_signal(signal.SIGKILL)
        c.wait()
        if backend == "rsf":
            fst24.repair(p)
        with fst24.open(p) as f:
            names = f.to_polars()["nomvar"].to_list()
        news = names.count("NEW")
        assert names.count("OLD") == 3
        if backend == "xdf":
            assert news in (0, 200)
        else:
            assert news % 10 == 0 or news == 200
        outcomes["old" if news == 0 else "new" if news == 200 else "partial"] += 1
        with fst24.open(p, "a") as w:  # still appendable; cleans stale temporaries
            w.write(field(9), nomvar="AFT", datyp=5, nbits=32)
        assert temporaries(tmp_path) == []
    print(f"python kill -9 {backend}: {trials} trials over {span:.2f}s: {outcomes}")


def test_repair_of_a_crashed_rsf_file(tmp_path):
    p = tmp_path / "crash.fst"
    code = f"""
import os, numpy as np, fst24
w = fst24.open({str(p)!r}, "w", backend="rsf")
a = np.zeros((8, 4), dtype=np.float32, order="F")
for i in range(3):
    w.write(a + i, nomvar="KEEP", ip3=i, datyp=5, nbits=32)
w.flush()
w.write(a, nomvar="LOST", datyp=5, nbits=32)
os._exit(0)  # dies without closing
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(fst24.Error):
        fst24.open(p, "a")
    report = fst24.repair(p)
    assert report["changed"] and report["write_flag"] == 0xFFFF
    with fst24.open(p) as f:
        assert f.to_polars()["nomvar"].to_list() == ["KEEP"] * 3
    with fst24.open(p, "a") as w:
        w.write(field(1), nomvar="MORE", datyp=5, nbits=32)
    assert fst24.repair(p)["changed"] is False


def _parallel_child(args):
    path, tag, n = args
    with fst24.open(path, "a", parallel=True, segment_size_mb=1) as w:
        for i in range(n):
            w.write(np.full((8, 4), tag * 1000 + i, dtype=np.float32, order="F"),
                    nomvar="PAR", ip2=tag, ip3=i, datyp=5, nbits=32)
            if i % 7 == 6:
                w.flush()
    return tag


def test_parallel_rsf_writes_from_processes_and_threads(tmp_path):
    p = str(tmp_path / "par.fst")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        assert sorted(pool.map(_parallel_child, [(p, t, 20) for t in range(1, 4)])) == [1, 2, 3]
    threads = [threading.Thread(target=_parallel_child, args=((p, t, 20),)) for t in range(4, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with fst24.open(p) as f:
        assert f.backend == "rsf"
        df = f.to_polars()
        assert len(df) == 120
        assert sorted(zip(df["ip2"], df["ip3"])) == [(t, i) for t in range(1, 7) for i in range(20)]
        for row in df.iter_rows(named=True):
            assert f.read(row["key"])[0, 0] == row["ip2"] * 1000 + row["ip3"]
    # A second non-parallel writer is refused while it is not parallel.
    with fst24.open(p, "a") as w:
        with pytest.raises(fst24.Error):
            fst24.open(p, "a", parallel=True)
        w.write(field(1), nomvar="SEQ", datyp=5, nbits=32)


def test_parallel_needs_rsf(tmp_path):
    with pytest.raises(fst24.Error):
        fst24.open(tmp_path / "x.fst", "w", backend="xdf", parallel=True)


def test_fst_options_segment_size(tmp_path, monkeypatch):
    monkeypatch.setenv("FST_OPTIONS", "BACKEND=RSF;SEGMENT_SIZE_MB=2")
    p = tmp_path / "env.fst"
    with fst24.open(p, "a", parallel=True) as w:
        w.write(field(1), nomvar="TT", datyp=5, nbits=32)
    assert p.stat().st_size >= 2 << 20  # one 2 MiB reservation (sparse)
    with fst24.open(p) as f:
        assert f.backend == "rsf" and len(f) == 1


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_leading_blanks_are_kept(tmp_path, backend):
    p = tmp_path / "b.fst"
    with fst24.open(p, "w", backend=backend) as w:
        w.write(field(1), nomvar=" T", typvar=" P", etiket="  LBL", datyp=5, nbits=32)
    with fst24.open(p) as f:
        df = f.to_polars()
        assert df["nomvar"][0] == " T" and df["typvar"][0] == " P" and df["etiket"][0] == "  LBL"
        r = f[0]
        assert (r.nomvar, r.typvar, r.etiket) == (" T", " P", "  LBL")


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_binary_records_of_any_nbits_and_the_meta_record(tmp_path, backend):
    p = tmp_path / "bin.fst"
    words = np.arange(1, 17, dtype=np.uint32) * 0x01010101  # 16 words = 64 bytes
    meta = {"title": "test", "levels": [1, 2]}
    with fst24.open(p, "w", backend=backend) as w:
        w.write(words, nomvar="B8", datyp=0, nbits=8, shape=(16, 4))
        w.write_file_metadata(meta)
    with fst24.open(p) as f:
        df = f.to_polars()
        b8 = df.filter(df["nomvar"] == "B8").row(0, named=True)
        assert (b8["ni"], b8["nj"], b8["datyp"], b8["nbits"]) == (16, 4, 0, 8)
        assert np.array_equal(np.asarray(f.read(b8["key"])).reshape(-1, order="F"), words)
        m = df.filter(df["nomvar"] == "META").row(0, named=True)
        assert (m["typvar"], m["etiket"], m["grtyp"], m["ni"], m["nj"], m["nbits"]) == (
            "X", "FILE_JSON", "L", 360, 180, 1)
        if backend == "rsf":
            assert json.loads(f[m["key"]].metadata) == meta


def test_keys_outside_librmn_ranges_are_refused(tmp_path):
    with fst24.open(tmp_path / "k.fst", "w") as w:
        with pytest.raises(fst24.Error, match="npas"):
            w.write(field(1), nomvar="TT", npas=67_108_863, datyp=5, nbits=32)
        w.write(field(1), nomvar="TT", npas=16_777_215, datyp=5, nbits=32)


@pytest.mark.parametrize("backend", ["xdf", "rsf"])
def test_64_bit_integers_packed_narrow(tmp_path, backend):
    p = tmp_path / "i.fst"
    v = np.asfortranarray(np.arange(-30, 34, dtype=np.int64).reshape(16, 4))
    u = np.asfortranarray(np.arange(64, dtype=np.uint64).reshape(16, 4) * 1000)
    with fst24.open(p, "w", backend=backend) as w:
        w.write(v, nomvar="I316", datyp=4, nbits=16)
        w.write(u, nomvar="U332", datyp=2, nbits=32)
    with fst24.open(p) as f:
        df = f.to_polars()
        for name, want in (("I316", v), ("U332", u)):
            row = df.filter(df["nomvar"] == name).row(0, named=True)
            got = np.asarray(f.read(row["key"]))
            assert np.array_equal(got.astype(np.int64), want.astype(np.int64))
            # librmn 20: RSF stores 64-bit input on 64 bits; XDF as 32-bit data.
            assert row["nbits"] == (64 if backend == "rsf" else (16 if name == "I316" else 32))
    if backend == "xdf":
        with fst24.open(tmp_path / "big.fst", "w", backend="xdf") as w:
            with pytest.raises(fst24.Error, match="32-bit"):
                w.write(v * (1 << 40), nomvar="BIG", datyp=4, nbits=32)
