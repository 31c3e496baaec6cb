"""The consultation as data: YAML dialogues, their schema and their conversation tests."""

from dialogues.schema import Choice, Dialogue, Step, load_dialogue

__all__ = ["Choice", "Dialogue", "Step", "load_dialogue"]
