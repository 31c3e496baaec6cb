"""Redact personal identifiers with Presidio, the small English model and UK recognisers.

Nothing here downloads anything: the spaCy model is an installed package, our email recogniser
replaces Presidio's (which looks up the public suffix list online), and the engine is always
built with an explicit NLP configuration.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING

import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import (
    NerModelConfiguration,
    NlpArtifacts,
    NlpEngine,
    SpacyNlpEngine,
)
from spacy.language import Language
from spacy.tokens import Doc

from privacy.batching import MicroBatcher
from privacy.namefilter import FilteredSpacyRecognizer, NameFilter
from privacy.normalise import Normalised, normalise
from privacy.policy import PLACEHOLDERS, PrivacyPolicy
from privacy.recognizers import RECOGNIZERS
from privacy.recognizers.name_cues import is_cased
from privacy.recognizers.names import SURE
from privacy.results import Entity, RedactionError, RedactionResult
from privacy.spans import grow, joined, listed_places, person, repeated_names
from privacy.spread import listed_names, repeated_word_names
from privacy.wellknown import well_known

if TYPE_CHECKING:
    from privacy.recognizers.rampart import RampartNameRecognizer

log = logging.getLogger(__name__)

# Whole messages that cannot hold an identifier: a choice number or a one-word greeting or answer.
# They skip the model (a few milliseconds each); everything else is analysed.
_PLAIN_REPLY = re.compile(r"(?i)\s*(\d{1,2}|hi|hiya|hello|hey|yes|no|ok|okay)[\s.!?]*")
# Specific identifiers win over a name when spans overlap with equal scores.
_PRIORITY = {t: i for i, t in enumerate(reversed(list(PLACEHOLDERS)))}
# The named-entity recogniser has its own token vectors; the shared tok2vec, tagger, attribute
# ruler and lemmatizer only serve lemmas, and the parser only syntax. Lemmas are read by Presidio's
# context check, which matches our context words as substrings of them, and our context words are
# the forms people write ("born", "lives", "moved"), so the lower-cased word serves: half the
# model's time per message, with the same entities (checked on the development set).
_UNUSED_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "senter")
_SURFACE_LEMMAS = "speakup_surface_lemmas"
_IGNORED_LABELS = [
    "DATE",
    "TIME",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "MONEY",
    "PERCENT",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
]


def _surface_lemmas(doc: Doc) -> Doc:
    for token in doc:
        token.lemma_ = token.lower_
    return doc


# Sentences that must come out clean before the service may start (item: canary at start-up).
CANARIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("my sister jayden lives with me", ("jayden",)),
    ("text me on 07912 345678", ("07912", "345678")),
    ("email me at sam.k99@example.co.uk", ("sam.k99", "example.co.uk")),
    ("we live near ls6 2ab", ("ls6", "2ab")),
    ("his nhs number is 943 476 5919", ("943 476 5919",)),
    ("my NI number is JT 48 29 17 A", ("JT 48 29 17 A",)),
    ("we moved to 14 Acacia Avenue last year", ("14 Acacia Avenue",)),
    ("tell hope i said thanks", ("hope",)),
    ("ring 0 7 9 1 2 3 4 5 6 7 8", ("0 7 9 1 2",)),
    (
        "ring \uff10\uff17\uff19\uff11\uff12 \uff13\uff14\uff15\uff16\uff17\uff18",
        ("\uff13\uff14\uff15",),
    ),
    ("i was on bramble ward 5 months", ("bramble",)),
    ("court ref MA24P00187", ("MA24P00187",)),
    ("the okonkwo family took us in", ("okonkwo",)),
    ("he was moved to hmp styal", ("styal",)),
    ("contact at the Sunflower family centre", ("sunflower",)),
)


def _merge(results: list[RecognizerResult]) -> list[Entity]:
    """Merge overlapping spans: the union is removed, typed by its strongest result."""
    ordered = sorted(results, key=lambda r: (r.start, -r.end))
    merged: list[Entity] = []
    for r in ordered:
        if merged and r.start < merged[-1].end:
            last = merged[-1]
            if (
                r.start >= last.start
                and r.end <= last.end
                and (r.start, r.end) != (last.start, last.end)
            ):
                stronger = False  # a span inside another: the whole is what it was found as
            else:
                stronger = (r.score, _PRIORITY.get(r.entity_type, 0)) > (
                    last.score,
                    _PRIORITY.get(last.type, 0),
                )
            merged[-1] = Entity(
                type=r.entity_type if stronger else last.type,
                start=last.start,
                end=max(last.end, r.end),
                score=max(last.score, r.score),
            )
        else:
            merged.append(Entity(r.entity_type, r.start, r.end, r.score))
    return merged


_KNOWN_TYPES = frozenset({"PERSON", "NAMED_PLACE", "SCHOOL", "STREET_ADDRESS"})


def _inside_known(r: RecognizerResult, known: list[tuple[int, int]]) -> bool:
    """A name inside a well-known phrase, or a place, school or address that ends in one (its
    kind word is the phrase's: "a rebadged Sure Start centre")."""
    if r.entity_type == "PERSON":
        return any(s <= r.start and r.end <= e for s, e in known)
    return r.entity_type in _KNOWN_TYPES and any(s < r.end <= e for s, e in known)


def _cued(r: RecognizerResult) -> bool:
    """A name the name rules found by a sure cue ("my PA Devon"), even if it is a town."""
    name = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY)
    return name == "FirstNameRecognizer" and r.score >= SURE


class Redactor:
    """Presidio analyzer + anonymizer configured for UK consultation answers."""

    def __init__(self, policy: PrivacyPolicy | None = None) -> None:
        self.policy = policy or PrivacyPolicy()
        started = time.perf_counter()
        # Presidio's debug lines quote words of the text being analysed: never let them out.
        logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
        # tldextract (used by some Presidio recognisers) must never fetch the suffix list.
        os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
        self._names = NameFilter(
            extra_keep=self.policy.keep_words, confident=self.policy.name_model_word_threshold
        )
        registry = RecognizerRegistry(supported_languages=["en"])
        if self.policy.spacy_names:
            registry.add_recognizer(FilteredSpacyRecognizer(self._names))
        for recognizer in RECOGNIZERS:
            registry.add_recognizer(recognizer())  # type: ignore[call-arg]
        # The name tagger runs after the rules and reads only what they left unexplained: its
        # cost grows with every token it reads (about 0.35 ms each on one core).
        self._tagger: RampartNameRecognizer | None = None
        if self.policy.name_model:
            from privacy.recognizers.rampart import RampartNameRecognizer

            self._tagger = RampartNameRecognizer(
                threshold=self.policy.name_model_threshold,
                plausible=lambda text, s, e, score: self._names.plausible(
                    text, s, e, reads_case=False, score=score
                ),
            )
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=_nlp_engine(self.policy.spacy_model, self.policy.spacy_names),
            supported_languages=["en"],
            log_decision_process=False,
        )
        # Two lanes: a long answer (or a crafted one) never queues in front of short ones.
        self._batcher: MicroBatcher[_Job, RedactionResult] = MicroBatcher(
            self._redact_batch, name="redact"
        )
        self._long: MicroBatcher[_Job, RedactionResult] = MicroBatcher(
            self._redact_batch, max_batch=4, name="redact-long"
        )
        self.load_seconds = time.perf_counter() - started

    def analyze(self, text: str, nlp_artifacts: NlpArtifacts | None = None) -> list[Entity]:
        """Return the spans the policy removes from ``text`` (already normalised), merged."""
        results = self._analyzer.analyze(
            text=text,
            language="en",
            entities=list(PLACEHOLDERS),
            score_threshold=self.policy.score_threshold,
            nlp_artifacts=nlp_artifacts,
        )
        known = well_known(text)
        if self._tagger is not None:
            found = [(r.start, r.end) for r in results if self.policy.removes(r.entity_type)]
            results += self._tagger.analyze(text, ["PERSON"], skip=found + known)
        kept = []
        cased = is_cased(text)
        for r in results:
            if not self.policy.removes(r.entity_type):
                continue
            if r.entity_type == "PERSON" and (
                self._names.kept(text[r.start : r.end], cued=_cued(r)) or not person(text, r)
            ):
                continue
            grow(text, r, cased)
            kept.append(r)
        kept += repeated_names(text, kept)
        kept += listed_names(text, kept, cased)
        kept += repeated_word_names(text, kept)
        if self.policy.removes("NAMED_PLACE"):
            kept += listed_places(text, kept)
        kept += joined(text, kept)
        if known:  # "Bob's your uncle", "Tracy Beaker": a name inside a well-known one is kept
            kept = [r for r in kept if not _inside_known(r, known)]
        return _merge(kept)

    def redact(self, text: str) -> RedactionResult:
        """Redact one text. Raises RedactionError on any failure or on timeout."""
        if not text.strip() or _PLAIN_REPLY.fullmatch(text):
            return RedactionResult(text=text, entities=())
        job = _Job(text, normalise(text), time.monotonic() + self.policy.timeout_seconds)
        lane = self._long if len(job.norm.text) > self.policy.long_text_chars else self._batcher
        future = lane.submit(job)
        try:
            return future.result(timeout=self.policy.timeout_seconds)
        except (FutureTimeout, TimeoutError):
            future.cancel()
            raise RedactionError("redaction timed out") from None
        except RedactionError:
            raise
        except Exception as exc:
            # Never include the text; the exception type is enough to investigate.
            raise RedactionError(f"redaction failed ({type(exc).__name__})") from None

    def redact_together(self, texts: Sequence[str]) -> list[RedactionResult | Exception]:
        """Redact texts as one batch on the calling thread (tests and benchmarks)."""
        deadline = time.monotonic() + self.policy.timeout_seconds * max(1, len(texts))
        return self._redact_batch([_Job(t, normalise(t), deadline) for t in texts])

    def _redact_batch(self, jobs: Sequence[_Job]) -> list[RedactionResult | Exception]:
        """Run the model once over every text waiting, then each text's recognisers.

        If the model fails on the batch, each text is tried alone, so one text the model cannot
        take fails only its own message, not everyone's who wrote at the same moment. A job past
        its deadline is stopped between steps: its caller has gone, and others are waiting.
        """
        engine = self._analyzer.nlp_engine
        texts = [job.norm.text for job in jobs]
        try:
            if len(texts) == 1:  # spaCy's pipe() costs more than a call for one text
                artifacts = [engine.process_text(texts[0], "en")]
            else:
                batch = engine.process_batch(texts, language="en", batch_size=len(texts))
                artifacts = [a for _, a in batch]  # type: ignore[misc]
        except Exception as exc:
            if len(jobs) == 1:
                return [exc]
            return [r for job in jobs for r in self._redact_batch([job])]
        out: list[RedactionResult | Exception] = []
        for job, nlp_artifacts in zip(jobs, artifacts, strict=True):
            if time.monotonic() > job.deadline:
                out.append(TimeoutError("redaction timed out"))
                continue
            try:
                out.append(self._redact(job.text, nlp_artifacts, job.norm))
            except Exception as exc:  # fails this text only; its caller is told
                out.append(exc)
        return out

    def _redact(
        self, text: str, artifacts: NlpArtifacts | None = None, norm: Normalised | None = None
    ) -> RedactionResult:
        norm = norm or normalise(text)
        found = self.analyze(norm.text, artifacts)
        if not found:
            return RedactionResult(text=text, entities=())
        entities = [Entity(e.type, *norm.span(e.start, e.end, text), e.score) for e in found]
        pieces, last = [], 0
        for e in entities:  # merged, in order and apart: replace from the original text
            pieces += [text[last : e.start], PLACEHOLDERS[e.type]]
            last = e.end
        pieces.append(text[last:])
        return RedactionResult(text="".join(pieces), entities=tuple(entities))

    def check_canaries(self) -> list[str]:
        """Redact the start-up canaries; return a description of each identifier that survived."""
        failures: list[str] = []
        for sentence, pieces in CANARIES:
            out = self.redact(sentence).text
            failures.extend(
                f"{piece!r} survived" for piece in pieces if piece.lower() in out.lower()
            )
        return failures

    def close(self) -> None:
        """Stop the worker threads."""
        self._batcher.close()
        self._long.close()


@dataclass(frozen=True)
class _Job:
    """One text to redact: as written, normalised, and when its caller stops waiting."""

    text: str
    norm: Normalised
    deadline: float


def _nlp_engine(model: str, names: bool) -> NlpEngine:
    """Presidio's spaCy engine with only the pipes we use loaded (the rest are never read from disk).

    ``NlpEngineProvider`` loads the whole model and we used to disable the unused pipes afterwards:
    the same entities, but loading the tagger, parser and lemmatizer cost about 0.6 s of start-up.
    """
    engine = SpacyNlpEngine(
        models=[{"lang_code": "en", "model_name": model}],
        ner_model_configuration=NerModelConfiguration.from_dict(
            {
                "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                "labels_to_ignore": list(_IGNORED_LABELS),
            }
        ),
    )
    if not Language.has_factory(_SURFACE_LEMMAS):
        Language.component(_SURFACE_LEMMAS, func=_surface_lemmas)
    nlp = spacy.load(model, exclude=list(_UNUSED_PIPES if names else (*_UNUSED_PIPES, "ner")))
    nlp.add_pipe(_SURFACE_LEMMAS)
    engine.nlp = {"en": nlp}  # type: ignore[assignment]  # Presidio annotates it as None
    return engine
