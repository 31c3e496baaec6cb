"""The service's message path never loads the theme model (or its libraries)."""

from __future__ import annotations

import subprocess
import sys


def test_the_server_and_staff_app_import_without_the_theme_model() -> None:
    check = (
        "import sys, server.app, server.service, review.app; "
        "print(sorted({'sklearn', 'tokenizers', 'themes.encoder', 'themes.explain'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
