"""The runner picks up ``bench_*`` modules: the absence benchmark lives in bench/absence.py."""

from bench.absence import run

__all__ = ["run"]
