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

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from spacy.language import Language
from spacy.tokens import Doc

from privacy.batching import MicroBatcher
from privacy.policy import PLACEHOLDERS, PrivacyPolicy
from privacy.recognizers import RECOGNIZERS
from privacy.recognizers.names import first_names, keep_words, place_words
from privacy.results import Entity, RedactionError, RedactionResult

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
)


def _merge(results: list[RecognizerResult]) -> list[Entity]:
    """Merge overlapping spans: the union is removed, typed by its strongest result."""
    ordered = sorted(results, key=lambda r: (r.start, -r.end))
    merged: list[Entity] = []
    for r in ordered:
        if merged and r.start < merged[-1].end:
            last = merged[-1]
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


class Redactor:
    """Presidio analyzer + anonymizer configured for UK consultation answers."""

    def __init__(self, policy: PrivacyPolicy | None = None) -> None:
        self.policy = policy or PrivacyPolicy()
        started = time.perf_counter()
        # Presidio's debug lines quote words of the text being analysed: never let them out.
        logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
        # tldextract (used by some Presidio recognisers) must never fetch the suffix list.
        os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
        provider = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": self.policy.spacy_model}],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
                    "labels_to_ignore": [
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
                    ],
                },
            }
        )
        nlp_engine = provider.create_engine()
        if not Language.has_factory(_SURFACE_LEMMAS):
            Language.component(_SURFACE_LEMMAS, func=_surface_lemmas)
        for nlp in getattr(nlp_engine, "nlp", {}).values():
            for name in _UNUSED_PIPES:
                if name in nlp.pipe_names:
                    nlp.disable_pipe(name)
            nlp.add_pipe(_SURFACE_LEMMAS)
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.add_recognizer(SpacyRecognizer(supported_entities=["PERSON"]))  # type: ignore[call-arg]
        for recognizer in RECOGNIZERS:
            registry.add_recognizer(recognizer())  # type: ignore[call-arg]
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=["en"],
            log_decision_process=False,
        )
        self._anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        self._keep = keep_words() | {w.lower() for w in self.policy.keep_words}
        self._places = place_words()
        self._names = first_names()
        self._batcher: MicroBatcher[str, RedactionResult] = MicroBatcher(
            self._redact_batch, name="redact"
        )
        self.load_seconds = time.perf_counter() - started

    def analyze(self, text: str, nlp_artifacts: NlpArtifacts | None = None) -> list[Entity]:
        """Return the spans the policy removes, merged and in order."""
        results = self._analyzer.analyze(
            text=text,
            language="en",
            entities=list(PLACEHOLDERS),
            score_threshold=self.policy.score_threshold,
            nlp_artifacts=nlp_artifacts,
        )
        kept = []
        for r in results:
            if not self.policy.removes(r.entity_type):
                continue
            span = text[r.start : r.end]
            if r.entity_type == "PERSON" and self._not_a_name(span, r):
                continue
            kept.append(r)
        return _merge(kept)

    def _not_a_name(self, span: str, result: RecognizerResult) -> bool:
        """Drop model guesses that are kept words, places, or all lower-case and unknown."""
        low = span.lower()
        if low in self._keep or low in self._places or not re.search(r"[a-z]", span, re.I):
            return True
        from_model = (result.recognition_metadata or {}).get(
            RecognizerResult.RECOGNIZER_NAME_KEY
        ) == "SpacyRecognizer"
        if from_model and span == low:
            # The small model is unreliable on lower case; our own list handles lower-case names.
            return not any(w in self._names for w in re.findall(r"[a-z]+", low))
        return False

    def redact(self, text: str) -> RedactionResult:
        """Redact one text. Raises RedactionError on any failure or on timeout."""
        if not text.strip() or _PLAIN_REPLY.fullmatch(text):
            return RedactionResult(text=text, entities=())
        future = self._batcher.submit(text)
        try:
            return future.result(timeout=self.policy.timeout_seconds)
        except FutureTimeout:
            future.cancel()
            raise RedactionError("redaction timed out") from None
        except RedactionError:
            raise
        except Exception as exc:
            # Never include the text; the exception type is enough to investigate.
            raise RedactionError(f"redaction failed ({type(exc).__name__})") from None

    def _redact_batch(self, texts: Sequence[str]) -> list[RedactionResult | Exception]:
        """Run the model once over every text waiting, then each text's recognisers.

        If the model fails on the batch, each text is tried alone, so one text the model cannot
        take fails only its own message, not everyone's who wrote at the same moment.
        """
        engine = self._analyzer.nlp_engine
        try:
            if len(texts) == 1:  # spaCy's pipe() costs more than a call for one text
                artifacts = [engine.process_text(texts[0], "en")]
            else:
                batch = engine.process_batch(list(texts), language="en", batch_size=len(texts))
                artifacts = [a for _, a in batch]  # type: ignore[misc]
        except Exception as exc:
            if len(texts) == 1:
                return [exc]
            return [r for text in texts for r in self._redact_batch([text])]
        out: list[RedactionResult | Exception] = []
        for text, nlp_artifacts in zip(texts, artifacts, strict=True):
            try:
                out.append(self._redact(text, nlp_artifacts))
            except Exception as exc:  # fails this text only; its caller is told
                out.append(exc)
        return out

    def _redact(self, text: str, artifacts: NlpArtifacts | None = None) -> RedactionResult:
        entities = self.analyze(text, artifacts)
        if not entities:
            return RedactionResult(text=text, entities=())
        operators = {
            e.type: OperatorConfig("replace", {"new_value": PLACEHOLDERS[e.type]}) for e in entities
        }
        out = self._anonymizer.anonymize(
            text=text,
            analyzer_results=[RecognizerResult(e.type, e.start, e.end, e.score) for e in entities],  # type: ignore[misc]
            operators=operators,
        )
        return RedactionResult(text=out.text, entities=tuple(entities))

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
        """Stop the worker thread."""
        self._batcher.close()
