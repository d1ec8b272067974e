"""``judgements.jsonl``: verdicts stream to disk one at a time, like the samples.

A verdict is written once, flushed at once; a torn last line (the process died
mid-write) is cut off on the next pass and that question is asked again.
Failed requests go to ``judge_errors.jsonl``, rewritten by every pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pydantic import ValidationError

from evalkit.errors import EvalkitError
from evalkit.judges.records import JudgeError, JudgeInfo, Judgement

JUDGEMENTS = "judgements.jsonl"
JUDGE_ERRORS = "judge_errors.jsonl"


class JudgementStore:
    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / JUDGEMENTS
        self.errors_path = run_dir / JUDGE_ERRORS
        self._out: IO[str] | None = None
        self._errors: IO[str] | None = None

    def load(self, *, repair: bool = False) -> list[Judgement]:
        """Every stored verdict. With ``repair``, cut a torn final line off the file."""
        if not self.path.is_file():
            return []
        data = self.path.read_bytes()
        if data and not data.endswith(b"\n"):
            if repair:
                with self.path.open("r+b") as handle:
                    handle.truncate(data.rfind(b"\n") + 1)
            data = data[: data.rfind(b"\n") + 1]
        judgements = []
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                judgements.append(Judgement.model_validate_json(line))
            except ValidationError as exc:
                raise EvalkitError(
                    f"corrupt judgement: {exc.errors()[0]['msg']}",
                    file=self.path,
                    line=number,
                    expected="one Judgement JSON object a line",
                ) from None
        return judgements

    def load_errors(self) -> list[JudgeError]:
        if not self.errors_path.is_file():
            return []
        lines = self.errors_path.read_text(encoding="utf-8").splitlines()
        return [JudgeError.model_validate_json(line) for line in lines if line.endswith("}")]

    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._out = self.path.open("a", encoding="utf-8")
        self._errors = self.errors_path.open("w", encoding="utf-8")

    def append(self, judgement: Judgement) -> None:
        assert self._out is not None, "open first"
        self._out.write(judgement.model_dump_json() + "\n")
        self._out.flush()

    def append_error(self, error: JudgeError) -> None:
        assert self._errors is not None, "open first"
        self._errors.write(error.model_dump_json() + "\n")
        self._errors.flush()

    def close(self) -> None:
        for handle in (self._out, self._errors):
            if handle is not None:
                handle.close()
        self._out = self._errors = None


def current_judgements(run_dir: Path, judges: dict[str, JudgeInfo]) -> list[Judgement]:
    """The verdicts of the run's current judges (an earlier judge's stay in the file, unused)."""
    wanted = {(f, fp) for f, info in judges.items() for fp in info.fingerprints.values()}
    return [j for j in JudgementStore(run_dir).load() if (j.family, j.fingerprint) in wanted]
