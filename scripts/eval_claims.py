"""Score the claim extractor's check-worthiness decision on labelled public sentences.

Not part of CI. Reads ../shared/corpora relative to the repository root:

- ClaimBuster (``claimbuster_checkworthiness``): ``test.json``, ``train_sample_2000.json``
  and ``debate_2020.tsv``; label 1 = check-worthy factual sentence.
- CLEF 2019 CheckThat! Task 1 (``clef2019_checkthat_task1/*.tsv``): tab-separated
  line_number, speaker, text, label; no header; label 1 = should be fact-checked.

Each decision rule maps ``extract_claims(sentence)`` to "check-worthy or not". The rule
reported as the extractor's decision is chosen by F1 on ``train_sample_2000`` only; the
other datasets are never used to choose. When ../shared/seeds holds the seed article, the
script also times ``extract_claims`` on it (a 3 KB news article). Every timing is cold: the
extractor's per-text caches are cleared first, so repeated calls measure extraction, not cache
look-ups. Usage, from the repository root::

    .venv/bin/python scripts/eval_claims.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from factcheck.claims import extract
from factcheck.claims.extract import ExtractedClaim, extract_claims
from factcheck.parse.text import parse_article

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
CLAIMBUSTER = CORPORA / "claimbuster_checkworthiness"
CLEF = CORPORA / "clef2019_checkthat_task1"
SEED = CORPORA.parent / "seeds" / "000_51bd037275e8fee9.txt"
TUNING_SET = "ClaimBuster train_sample_2000"
TIMING_RUNS = 200

Rule = Callable[[list[ExtractedClaim]], bool]

# Candidate decisions, from the most to the least inclusive.
RULES: dict[str, Rule] = {
    "any claim": bool,
    "no vague-only": lambda claims: any(claim.kind != "quantity" for claim in claims),
    "statistic or quote": lambda claims: any(
        claim.kind in {"statistic", "quote"} for claim in claims
    ),
    "statistic only": lambda claims: any(claim.kind == "statistic" for claim in claims),
}


@dataclass(frozen=True)
class Example:
    text: str
    label: bool


@dataclass(frozen=True)
class Score:
    true_positive: int
    false_positive: int
    false_negative: int
    positives: int
    total: int

    @property
    def precision(self) -> float:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.positives if self.positives else 0.0

    @property
    def f1(self) -> float:
        both = self.precision + self.recall
        return 2 * self.precision * self.recall / both if both else 0.0


def load_claimbuster_json(path: Path) -> list[Example]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [Example(record["text"], int(record["label"]) == 1) for record in records]


def load_claimbuster_tsv(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [field.strip('"') for field in lines[0].split("\t")]
    label_at, text_at = header.index("label"), header.index("text")
    examples = []
    for line in lines[1:]:
        fields = line.split("\t")
        examples.append(Example(fields[text_at], fields[label_at].strip() == "1"))
    return examples


def load_clef(directory: Path) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            _number, _speaker, text, label = line.split("\t")
            examples.append(Example(text, label.strip() == "1"))
    return examples


def score(predictions: Sequence[bool], examples: Sequence[Example]) -> Score:
    pairs = list(zip(predictions, (example.label for example in examples), strict=True))
    return Score(
        true_positive=sum(1 for predicted, gold in pairs if predicted and gold),
        false_positive=sum(1 for predicted, gold in pairs if predicted and not gold),
        false_negative=sum(1 for predicted, gold in pairs if not predicted and gold),
        positives=sum(1 for _, gold in pairs if gold),
        total=len(pairs),
    )


def clear_caches() -> None:
    """Forget the extractor's per-text caches (sentence analyses, sentence ends, paragraph
    claims), so the next call does all the work, as for text never seen before."""
    extract._analyse.cache_clear()
    extract._boundaries.cache_clear()
    extract._paragraph_claims.cache_clear()


def time_extraction(document: str) -> tuple[float, float]:
    """Median and best milliseconds per cold ``extract_claims`` call: the caches are cleared
    before every timed call, outside the timed interval."""
    per_call = []
    for _ in range(TIMING_RUNS):
        clear_caches()
        started = time.perf_counter()
        extract_claims(document)
        per_call.append((time.perf_counter() - started) * 1000)
    return statistics.median(per_call), min(per_call)


def main() -> int:
    if not CORPORA.is_dir():
        print(f"Corpora not found at {CORPORA}; nothing to evaluate.", file=sys.stderr)
        return 2
    datasets = {
        TUNING_SET: load_claimbuster_json(CLAIMBUSTER / "train_sample_2000.json"),
        "ClaimBuster test": load_claimbuster_json(CLAIMBUSTER / "test.json"),
        "ClaimBuster debate_2020": load_claimbuster_tsv(CLAIMBUSTER / "debate_2020.tsv"),
        "CLEF 2019 CheckThat! (4 files)": load_clef(CLEF),
    }
    clear_caches()
    started = time.perf_counter()
    claims = {
        name: [extract_claims(example.text) for example in examples]
        for name, examples in datasets.items()
    }
    elapsed = time.perf_counter() - started
    sentences = sum(len(examples) for examples in datasets.values())

    tuning = {
        rule: score([decide(found) for found in claims[TUNING_SET]], datasets[TUNING_SET]).f1
        for rule, decide in RULES.items()
    }
    chosen = max(RULES, key=lambda rule: tuning[rule])
    print(f"{sentences} sentences extracted in {elapsed * 1000:.0f} ms (cold caches)")
    print(f"Rule chosen on {TUNING_SET} by F1: {chosen!r}\n")
    print("| dataset | rule | sentences | check-worthy | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|")
    for name, examples in datasets.items():
        for rule, decide in RULES.items():
            result = score([decide(found) for found in claims[name]], examples)
            marker = " (chosen)" if rule == chosen else ""
            print(
                f"| {name} | {rule}{marker} | {result.total} | {result.positives} | "
                f"{result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} |"
            )
    if SEED.is_file():
        document = parse_article(SEED.read_text(encoding="utf-8")).document
        median, best = time_extraction(document)
        print(
            f"\nextract_claims on the seed article ({len(document.encode())} bytes, "
            f"{len(extract_claims(document))} claims): median {median:.3f} ms, "
            f"best {best:.3f} ms per cold call ({TIMING_RUNS} calls, caches cleared before each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
