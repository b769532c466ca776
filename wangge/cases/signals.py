"""Events other apps listen to without the cases app knowing them (dependencies point one way).

``case_reported`` is sent once per new case, after the transaction that wrote it commits,
with ``case_id``: the field app's linkage calls the role whose duty the problem is.
Receivers must be safe to run twice and must not raise (a report never fails because of one).
"""

from __future__ import annotations

from django.dispatch import Signal

case_reported = Signal()
