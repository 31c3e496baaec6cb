"""Prometheus metrics. Labels carry channels, outcomes, levels and error codes: never personal data."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    """One registry per app (tests build many apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages = Counter(
            "speakup_messages_total",
            "Inbound messages by channel and outcome",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "speakup_message_seconds",
            "Time to handle one message",
            ["channel"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.redaction_failures = Counter(
            "speakup_redaction_failures_total",
            "Answers not saved because redaction failed",
            registry=self.registry,
        )
        self.risk = Counter(
            "speakup_risk_detections_total",
            "Risk detections by level",
            ["level"],
            registry=self.registry,
        )
        self.send_errors = Counter(
            "speakup_send_errors_total",
            "Provider delivery errors by channel and code",
            ["channel", "code"],
            registry=self.registry,
        )
