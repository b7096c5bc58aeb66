"""The benchmarks run (tiny sizes; figures are printed, never asserted)."""

from __future__ import annotations

import io

from bot.directory.bench import bench_import, bench_nearest, main_bench


def test_benchmarks_run_and_print_figures(capsys) -> None:
    out = io.StringIO()
    figures = bench_nearest(entries=300, queries=20, out=out)
    assert set(figures) == {"p50", "p95", "max"}
    assert "nearest: 20 queries over 300 entries" in out.getvalue()
    assert set(bench_import(rows=50, out=out)) == {"validate", "imported", "total"}
    assert main_bench(["--entries", "200", "--queries", "5", "--rows", "20"]) == 0
    assert "validate + import of 20 rows" in capsys.readouterr().out
