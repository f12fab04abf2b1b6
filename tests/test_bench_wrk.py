"""The bench reads wrk's report (bench/wrk.py) into its figures: two reports wrk printed
on this machine (tests/fixtures/wrk), one of a page answering 200, one of a 404 that
must count as errors and not as throughput. wrk itself is installed by `make bench`, not
for the suite."""

from pathlib import Path

from bench import wrk

FIXTURES = Path(__file__).parent / "fixtures" / "wrk"


def test_a_report_of_pages_answering_200_gives_the_throughput_and_latencies():
    figures = wrk.parse((FIXTURES / "ok.txt").read_text(), concurrency=4, duration=1)
    assert figures["requests"] == 4306 and figures["errors"] == 0
    assert figures["rps"] == 3905.78
    assert (figures["p50_ms"], figures["p90_ms"], figures["p99_ms"]) == (0.87, 0.98, 1.34)
    assert figures["mean_bytes"] == round(44.33 * 1024**2 / 4306)


def test_answers_other_than_2xx_are_errors_not_throughput():
    figures = wrk.parse((FIXTURES / "not-found.txt").read_text(), concurrency=4, duration=1)
    assert figures["errors"] == 3511 and figures["requests"] == 0 and figures["rps"] == 0


def test_units_of_latency():
    assert wrk.milliseconds("276.40us") == 0.276
    assert wrk.milliseconds("1.5s") == 1500.0
