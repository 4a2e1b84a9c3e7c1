"""The e-mail receipt every submission gets (an application's, a report's): to whoever
submitted and the application's contact person, queued in the outbox, its body in the
app's words with the facts every receipt gives filled in."""

from __future__ import annotations

from typing import Any

from .outbox import queue_email
from .receipts import when
from .submissions import FrozenSubmission


def queue_receipt_email(
    submission: FrozenSubmission, *, contact_email: str, subject: str, body: str, kind: str,
    **values: Any,
) -> None:
    """`subject` names the reference as %(ref)s; `body` may also use %(at)s (when it was
    sent), %(org)s (the sender), %(office)s (the receiving office) and the app's `values`."""
    facts = {
        "ref": submission.reference,
        "at": when(submission.submitted_at),
        "org": submission.content["organisation"]["name"],
        "office": submission.content["office"],
    }
    queue_email(to=sorted({submission.submitted_by.email, contact_email} - {""}),
                subject=subject % {"ref": submission.reference}, body=body % (facts | values),
                kind=kind, reference=submission.reference)
