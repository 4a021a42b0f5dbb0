"""Settings shared by the whole suite.

Under CI (``CI`` set, as ``.ci/run`` runs) Hypothesis is derandomised: a submission's run
is repeatable and a red run can be replayed exactly; runs on a developer's machine keep
exploring new examples.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false"):
    settings.load_profile("ci")
