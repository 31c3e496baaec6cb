"""Safeguarding: notice risk in a message and compose the handoff to help.

A leaf library: it imports nothing from the rest of the project.
"""

from safeguarding.detector import Detector, RiskAssessment, load_detector

__all__ = ["Detector", "RiskAssessment", "load_detector"]
