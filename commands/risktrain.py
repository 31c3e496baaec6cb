"""``speakup risk train``: build the learned risk model from labelled files, deterministically.

Each labelled file is one writer (``level<TAB>text``). Thresholds are never chosen on data the
model was fitted to: every writer is scored by a model trained without it (leave one writer out),
and the thresholds are read off those cross-writer predictions. The final model is then fitted on
everything. Staff corrections (``--corrections``, the queue's export) join every training fold but
are never used to choose thresholds. scikit-learn is needed here only, never by the service.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from safeguarding.model import CLASSES, MODEL_FILE, RiskModel, Scored, features
from safeguarding.normalise import normalise

DATA_DIR = MODEL_FILE.parent.parent / "data"
WRITERS = (
    "risk_dev",
    "risk_young",
    "risk_adults",
    "risk_margins",
    "risk_thirdparty",
    "risk_sms",
    "risk_considered",
    "risk_z",
)
# The project's own cases: always trained on, never a held-out writer.
EXTRA = ("risk_extra", "risk_own", "risk_short", "risk_everyday")
# Short everyday answers teach "a word or two of chat is not risk"; at full weight they also
# pull family words ("my mum") towards none in long messages, so they count for less.
SHORT_WEIGHT = 1.0
WEIGHTS = {"risk_short": SHORT_WEIGHT}
LEVELS = ("urgent", "support", "none")
RANK = {"none": 0, "support": 1, "check": 2, "urgent": 3}
C = 8.0  # inverse regularisation, chosen by leave-one-writer-out measurement (docs/safeguarding.md)
MIN_DF = 2
# Targets the thresholds aim at, on cross-writer predictions (model alone, before the rules).
NONE_URGENT_BUDGET = 0.015
NONE_CHECK_BUDGET = 0.06
NONE_SUPPORT_BUDGET = 0.2
NONE_PEAK_BUDGET = 0.005

Row = tuple[str, str]


@dataclass(frozen=True)
class Prepared:
    """A labelled message, normalised and counted once."""

    level: str
    text: str
    words: Counter[str]
    chars: Counter[str]
    weight: float = 1.0


def read_labelled(path: Path) -> list[Row]:
    """Rows of a ``level<TAB>text`` file; a bad level stops the build with the line number."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        level, _, text = line.partition("\t")
        level = level.strip().lower()
        if level == "check":
            level = "urgent"  # a correction saying "should have asked" trains towards urgent
        if level not in LEVELS or not text.strip():
            raise ValueError(
                f"{path.name} line {number}: want level<TAB>text, level one of {LEVELS}"
            )
        rows.append((level, text.strip()))
    return rows


def prepare(rows: Sequence[Row], weight: float = 1.0) -> list[Prepared]:
    out = []
    for level, text in rows:
        wc, cc = features(normalise(text))
        out.append(Prepared(level, text, wc, cc, weight))
    return out


def extras(files: Sequence[Path]) -> list[Prepared]:
    """The project's own cases among ``files``, each with its training weight."""
    return [
        p
        for f in files
        if f.stem in EXTRA
        for p in prepare(read_labelled(f), WEIGHTS.get(f.stem, 1.0))
    ]


def _idf(docs: Sequence[Counter[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    return {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in sorted(df.items()) if d >= MIN_DF}


def fit(train: Sequence[Prepared], thresholds: dict[str, float] | None = None) -> RiskModel:
    """Fit the logistic regression on prepared rows and return it as the service would load it."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    from safeguarding.model import tfidf

    word_idf = _idf([p.words for p in train])
    char_idf = _idf([p.chars for p in train])
    keys = [f"w:{t}" for t in word_idf] + [f"c:{t}" for t in char_idf]
    column = {k: i for i, k in enumerate(keys)}
    data, indices, indptr = [], [], [0]
    for p in train:
        for prefix, vec in (("w:", tfidf(p.words, word_idf)), ("c:", tfidf(p.chars, char_idf))):
            for term, value in sorted(vec.items()):
                indices.append(column[prefix + term])
                data.append(value)
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(len(train), len(keys)))
    labels = np.array([p.level for p in train])
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", tol=1e-6)
    with threadpool_limits(1):  # one thread: faster on a shared machine, and the same bytes
        clf.fit(matrix, labels, sample_weight=np.array([p.weight for p in train]))
    order = [list(clf.classes_).index(c) for c in CLASSES]
    coef = np.round(clf.coef_[order], 6)
    vocabulary = {}
    for key, i in column.items():
        idf = word_idf[key[2:]] if key[0] == "w" else char_idf[key[2:]]
        vocabulary[key] = [round(idf, 6), *(float(coef[k, i]) for k in range(3))]
    return RiskModel(
        {
            "vocabulary": vocabulary,
            "intercept": [round(float(b), 6) for b in clf.intercept_[order]],
            "thresholds": thresholds or {"urgent": 1.1, "check": 1.1, "support": 1.1},
        }
    )


Pred = tuple[str, Prepared, Scored, int]


def cross_writer(writers: dict[str, list[Prepared]], always: Sequence[Prepared]) -> list[Pred]:
    """Score every writer with a model fitted on the other writers (plus ``always``).

    Each prediction carries the rules' rank for the message too, since the rules stand beside
    the model in the service and their false alarms count against the same budgets.
    """
    from safeguarding.detector import load_detector

    rules = load_detector(model_path=None)
    out = []
    for name, rows in writers.items():
        train = [p for other, ps in writers.items() if other != name for p in ps] + list(always)
        model = fit(train)
        out += [
            (name, p, model.judge(normalise(p.text)), RANK[rules.assess(p.text).level])
            for p in rows
        ]
    return out


def _lowest(values: list[float], floor: int, budget: float, total: int) -> float:
    """The lowest threshold keeping (``floor`` + values at or above it) / total within budget."""
    ranked = sorted(values, reverse=True)
    allowed = math.floor(budget * total) - floor
    if allowed < 0:
        return 1.0
    if allowed >= len(ranked):
        return 0.0
    return round(min(ranked[allowed] + 1e-6, 1.0), 6)


def choose_thresholds(preds: Sequence[Pred]) -> dict[str, float]:
    """Thresholds from cross-writer predictions, each a false-alarm budget on the none messages.

    urgent: the model's own share of none messages it would call urgent (the rules' false alarms
    are not counted here: they cannot be lowered, and counting them would stop the model raising
    anything to urgent). check and support: the share at that level or above, rules included.
    """
    none = [(s, rank) for _, p, s, rank in preds if p.level == "none"]
    total = len(none)
    urgent = _lowest([s.urgent for s, _ in none], 0, NONE_URGENT_BUDGET, total)
    above = sum(1 for _, r in none if r >= RANK["check"])
    budget = NONE_URGENT_BUDGET + NONE_CHECK_BUDGET
    check = min(
        _lowest([s.urgent for s, r in none if r < RANK["check"]], above, budget, total), urgent
    )
    # Two sentences of a long answer may ask "are you safe?" on a budget of their own, spent
    # only on none messages that nothing else raised to check.
    quiet = [s.peak for s, r in none if r < RANK["check"] and s.urgent < check]
    peak = max(_lowest(quiet, 0, NONE_PEAK_BUDGET, total), check)
    above = sum(1 for _, r in none if r >= RANK["support"])
    values = [s.urgent + s.support for s, r in none if r < RANK["support"]]
    support = min(_lowest(values, above, NONE_SUPPORT_BUDGET, total), check)
    return {"urgent": urgent, "check": check, "support": support, "peak": peak}


def build(
    files: Sequence[Path], corrections: Path | None = None
) -> tuple[dict[str, object], dict[str, object]]:
    """The model file's contents and the record of what it was built from."""
    writers = {f.stem: prepare(read_labelled(f)) for f in files if f.stem not in EXTRA}
    extra = extras(files)
    synthetic = [p for ps in writers.values() for p in ps] + extra
    # Staff corrections are redacted real messages: trained on, never shown as an example.
    corrected = prepare(read_labelled(corrections)) if corrections is not None else []
    always = extra + corrected
    thresholds = choose_thresholds(cross_writer(writers, always))
    model = fit(synthetic + corrected, thresholds)
    data = dict(model.meta)
    data["examples"] = [[p.level, p.text] for p in synthetic]
    data["nearest"] = RiskModel(data).nearest_index()
    record = _record(files, corrections, thresholds, len(data["vocabulary"]))  # type: ignore[arg-type]
    data["record"] = record
    return data, record


def _record(
    files: Sequence[Path], corrections: Path | None, thresholds: dict[str, float], size: int
) -> dict[str, object]:
    import numpy
    import scipy
    import sklearn

    sources = []
    for f in [*files, *([corrections] if corrections else [])]:
        rows = read_labelled(f)
        sources.append(
            {
                "file": f.name,
                "sha256": hashlib.sha256(f.read_bytes()).hexdigest(),
                "rows": len(rows),
                "levels": dict(sorted(Counter(level for level, _ in rows).items())),
            }
        )
    return {
        "sources": sources,
        "thresholds": thresholds,
        "features": f"words 1-2 + characters {2}-{5} in words, TF-IDF (sublinear, min_df {MIN_DF});"
        " long answers also scored two sentences at a time (peak: check at most)",
        "classifier": f"LogisticRegression(C={C}, class_weight=balanced, lbfgs)",
        "vocabulary_size": size,
        "sample_weights": WEIGHTS,
        "budgets": {
            "none_urgent": NONE_URGENT_BUDGET,
            "none_check": NONE_CHECK_BUDGET,
            "none_support": NONE_SUPPORT_BUDGET,
            "none_peak": NONE_PEAK_BUDGET,
        },
        "versions": {
            "python": platform.python_version(),
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "scikit-learn": sklearn.__version__,
        },
    }


def default_files() -> list[Path]:
    return [DATA_DIR / f"{name}.tsv" for name in (*WRITERS, *EXTRA)]


def dumps(data: dict[str, object]) -> str:
    """Byte-stable JSON: sorted keys, one line per vocabulary entry would be too long; compact."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def run(corrections: Path | None, output: Path | None = None) -> int:
    """Build, write the model file and its record beside it, and say what was written."""
    output = output or MODEL_FILE
    data, record = build(default_files(), corrections)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dumps(data), encoding="utf-8")
    output.with_suffix(".record.json").write_text(
        json.dumps(record, sort_keys=True, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {output} ({output.stat().st_size // 1024} KB); thresholds {record['thresholds']}")
    return 0
