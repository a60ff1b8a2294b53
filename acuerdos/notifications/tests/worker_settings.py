"""Settings for worker subprocesses in tests: the test settings, but e-mail from `EMAIL_URL`
(the test settings keep mail in memory, which a separate process cannot show)."""

from acuerdos.settings import EMAIL_CONFIG
from acuerdos.settings_test import *  # noqa: F403

vars().update(EMAIL_CONFIG)
