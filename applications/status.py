"""The applications app's part of the grant's status line (tilskudd.status): under work,
for signing, sent in, withdrawn. Registered in ApplicationsConfig.ready(); it reads the
applications it is given and makes no query."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tilskudd.status import Stage, StageFound

from .models import Application, ApplicationStatus

#: «Til signering» as a status of its own once it exists; until then the editor's request.
TO_SIGN = getattr(ApplicationStatus, "TO_SIGN", None)


def is_waiting_for_signature(application: Application) -> bool:
    if TO_SIGN is not None:
        return application.status == TO_SIGN
    return (application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
            and application.signature_requested_at is not None)


def application_stage(application: Application) -> Stage:
    if application.status == ApplicationStatus.SUBMITTED:
        return Stage.SUBMITTED
    if is_waiting_for_signature(application):
        return Stage.TO_SIGN
    if application.status == ApplicationStatus.WITHDRAWN:
        return Stage.WITHDRAWN
    return Stage.DRAFT


def application_stages(applications: Sequence[Application]) -> Mapping[int, StageFound]:
    return {a.pk: StageFound(application_stage(a)) for a in applications}
