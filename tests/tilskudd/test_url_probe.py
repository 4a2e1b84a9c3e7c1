"""Nobody sees what is not theirs: every URL pattern of the project (walked from the resolver,
the admin site's too, so tomorrow's URL is probed as well) is filled with organisation A's
objects and asked, by GET and POST, as each outsider: anonymous, B's editor and signatory,
office 2's caseworker and approver, and a directorate user. None gets a page with A's data,
and nothing in the database changes. A's own signatory and office 1's caseworker get A's
pages (so the probe can fail)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tilskudd.documents import polling
from tilskudd.models import OfficeMembership

from .probe_world import World, build_world

#: Patterns nobody's objects are behind, each with why it is not probed.
PUBLIC = {
    "login": "the sign-in form",
    "logout": "signing out ends one's own session",
    "set_language": "the visitor's own language choice (tests/tilskudd/test_languages.py)",
    "javascript-catalog": "the translation catalogue for scripts",
    "session_keep_alive": "extends one's own session (test_session_warning.py)",
    "opendata:index": "open data: allocations per organisation are published on purpose",
    "opendata:package": "open data, as above (tests/assessment/test_opendata.py)",
    "opendata:csv": "open data, as above",
    "idporten:login": "ID-porten's sign-in protocol; no object of anyone's",
    "idporten:callback": "ID-porten's sign-in protocol (test_idporten.py)",
    "idporten:front_channel_logout": "ID-porten's logout protocol",
    "idporten:verify_email": "a signed one-time token e-mailed to the person "
                             "(test_idporten_accounts.py)",
    "access:accept": "an invitation's secret token, never stored (test_invitations.py)",
    "admin:login": "the admin's sign-in form",
    "admin:logout": "signing out of the admin",
    "admin:jsi18n": "the admin's translation catalogue",
    "admin:None": "the admin's catch-all: an unknown admin path, no object",
}

Fill = Callable[[World], object]


def of_a(attribute: str) -> Fill:
    """A's object at the dotted `attribute` of the world, as its pk (or the value itself,
    for a reference)."""

    def fill(world: World):
        obj = world
        for part in attribute.split("."):
            obj = getattr(obj, part)
        return obj.pk if hasattr(obj, "pk") else obj
    return fill


def literal(value) -> Fill:
    return lambda world: value


#: kwargs by URL name, before the namespace's defaults below.
BY_NAME: dict[str, dict[str, Fill]] = {
    "reporting:repayment_letter": {"pk": of_a("claim")},
    "reporting:repayment_claim": {"pk": of_a("claim")},
    "reporting:change_detail": {"reference": of_a("change.reference")},
    "reporting:change_letter": {"reference": of_a("change.reference")},
    "access:change_role": {"pk": of_a("membership_a")},
    "access:remove": {"pk": of_a("membership_a")},
    "access:revoke": {"pk": of_a("invitation")},
    "document_status": {"token": of_a("status_token")},
    "admin:auth_user_password_change": {"id": of_a("signatory_a")},
    "admin:app_list": {"app_label": literal("reporting")},
    "admin:view_on_site": {
        "content_type_id": lambda world: ContentType.objects.get_for_model(world.report).pk,
        "object_id": of_a("report")},
}
BY_NAMESPACE: dict[str, dict[str, Fill]] = {
    "applications": {"pk": of_a("application"), "attachment_id": of_a("app_attachment"),
                     "round_id": of_a("round"), "organisation_id": of_a("org_a"),
                     "step": literal("kompetansetiltak"),
                     "reference": of_a("app_submission.reference")},
    "reporting": {"pk": of_a("report"), "application_id": of_a("application"),
                  "attachment_id": of_a("report_attachment"), "step": literal("kompetansetiltak"),
                  "reference": of_a("report_submission.reference")},
    "assessment": {"application_id": of_a("application"), "letter_id": of_a("letter")},
    "access": {"organisation_id": of_a("org_a")},
    "admin": {"letter_id": of_a("letter"), "attachment_id": of_a("report_attachment")},
}
#: The admin's object for each model (object_id, pk).
ADMIN_OBJECTS: dict[str, Fill] = {
    "tilskudd_organisation": of_a("org_a"), "tilskudd_user": of_a("signatory_a"),
    "tilskudd_office": of_a("org_a.office"), "tilskudd_county": of_a("org_a.county"),
    "tilskudd_scheme": of_a("round.scheme"), "tilskudd_round": of_a("round"),
    "tilskudd_auditevent": of_a("audit_event"), "tilskudd_officebudget": of_a("budget_a"),
    "tilskudd_invitation": of_a("invitation"),
    "tilskudd_officemembership": of_a("office_membership_1"),
    "tilskudd_outboundemail": of_a("email"),
    "assessment_submittedapplication": of_a("application"), "assessment_pot": of_a("budget_a"),
    "assessment_publishedrecipient": of_a("published_recipient"),
    "reporting_report": of_a("report"), "reporting_repaymentclaim": of_a("claim"),
    "reporting_changerequest": of_a("change"),
    "reporting_reportingsettings": of_a("reporting_settings"),
    "auth_group": of_a("group"),
    # Sign-in logs (superusers only); none in the world, so an id that is nobody's.
    "axes_accessattempt": literal(1), "axes_accesslog": literal(1),
    "axes_accessfailurelog": literal(1),
}
#: Reference data every office's staff reads (the register of organisations, offices,
#: counties, rounds): A's name on its own register page is not a leak.
#: Rounds and schemes are national (every office's), and an app's admin index is no object:
#: these may answer 200, but must not show A's data either.
NOT_A_OBJECT = ("admin:app_list",)
REFERENCE_DATA = ("tilskudd_organisation", "tilskudd_office", "tilskudd_county",
                  "tilskudd_round", "tilskudd_scheme")


def patterns(resolver=None, prefix="", namespace="") -> Iterator[tuple[str, str, URLPattern]]:
    """(full name, route, pattern) of every URL pattern, nested resolvers walked."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from patterns(entry, prefix + str(entry.pattern), inner)
        else:
            name = ":".join(filter(None, [namespace, str(entry.name)]))
            yield name, prefix + str(entry.pattern), entry


def kwarg_names(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex) or [str(n) for n in range(regex.groups)]


def plan(name: str, keys: list[str]) -> dict[str, Fill] | None:
    """How to fill `keys` of pattern `name` with A's objects; None if it cannot be."""
    found: dict[str, Fill] = {}
    namespace = name.split(":")[0] if ":" in name else ""
    model = "_".join(name.split(":")[-1].split("_")[:2]) if namespace == "admin" else ""
    for key in keys:
        fill = (BY_NAME.get(name, {}).get(key) or BY_NAMESPACE.get(namespace, {}).get(key)
                or (ADMIN_OBJECTS.get(model) if key in ("object_id", "pk") else None))
        if fill is None:
            return None
        found[key] = fill
    return found


def probed() -> list[tuple[str, str, URLPattern]]:
    return [p for p in patterns() if p[0] not in PUBLIC]


def test_every_url_pattern_is_public_or_filled_with_a_objects():
    unfilled = [f"{name} ({route})" for name, route, pattern in probed()
                if plan(name, kwarg_names(pattern)) is None]
    assert unfilled == [], "patterns the probe cannot fill: add them to PUBLIC or the maps"
    assert len(probed()) > 150  # the admin's patterns are walked too


def _url(world: World, name: str, route: str, pattern: URLPattern) -> str:
    kwargs = {key: str(fill(world)) for key, fill in plan(name, kwarg_names(pattern)).items()}
    if name == "admin:app_list":
        return f"/admin/{kwargs['app_label']}/"
    return reverse(name, kwargs=kwargs)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


SIGN_IN = ("/logg-inn/", "/admin/login/", "/idporten/logg-inn/")


def _refused(response, name: str, role: str) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        # The admin sends its own staff back to its index for an object outside their office.
        return location.startswith(SIGN_IN) or (
            name.startswith("admin:") and role != "editor_b" and location == "/admin/")
    return False


DRAFT_NAMESPACES = ("applications", "reporting")


def _snapshot(world: World):
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()
              if not m._meta.proxy and m._meta.label not in ("sessions.Session",)}
    objects = {}
    for attribute in ("application", "case", "letter", "change", "report", "transfer", "claim",
                      "report_submission", "app_submission", "invitation", "budget_a", "org_a",
                      "app_receipt_job", "report_attachment", "app_attachment"):
        obj = getattr(world, attribute)
        objects[attribute] = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return counts, objects


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    world = build_world(django_capture_on_commit_callbacks)
    world.membership_a = world.signatory_a.memberships.get()
    world.office_membership_1 = OfficeMembership.objects.get(user=world.caseworker_1)
    a_session = _client(world.signatory_a)
    world.a_client = a_session
    world.status_token = polling.signing.dumps(
        {"m": world.app_receipt_job._meta.label_lower, "j": world.app_receipt_job.pk,
         "u": "/", "s": a_session.session.session_key}, salt=polling.SALT)
    return world


def _skip(name: str, role: str) -> bool:
    # The directorate reads every office's figures and the admin nationally, by design
    # (tilskudd/admin_scoping.py is_national_reader; tests/assessment/test_national_views.py).
    return role == "directorate" and name.startswith(("admin:", "national:"))


def test_no_outsider_sees_or_changes_a_objects(world):
    clients = {role: _client(user) for role, user in world.roles.items()}
    secrets = world.a_texts()
    before = _snapshot(world), _snapshot(world.with_drafts())
    leaks = []
    drafts = world.with_drafts()
    # Every pattern with A's sent objects; the applicant's pages again with A's drafts.
    for name, route, pattern, world_used in [
            *((*p, world) for p in probed()),
            *((*p, drafts) for p in probed() if p[0].split(":")[0] in DRAFT_NAMESPACES
              and kwarg_names(p[2]))]:
        url = _url(world_used, name, route, pattern)
        model = "_".join(name.split(":")[-1].split("_")[:2])
        of_a = bool(kwarg_names(pattern)) and name not in NOT_A_OBJECT and not (
            name.startswith("admin:") and model in ("tilskudd_round", "tilskudd_scheme"))
        for role, client in clients.items():
            if _skip(name, role):
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = _body(response)
                # A reference in the URL asked for is the asker's own knowledge, not a leak
                # (the 404 page repeats the path).
                shown = [s for s in secrets if s in body and s not in url]
                if name.startswith("admin:") and model in REFERENCE_DATA:
                    shown = [s for s in shown if s != world.org_a.name]
                if response.status_code >= 500:
                    leaks.append(f"{method.upper()} {url} as {role}: {response.status_code}")
                elif shown:
                    leaks.append(f"{method.upper()} {url} as {role}: shows {shown}")
                elif of_a and not _refused(response, name, role):
                    leaks.append(f"{method.upper()} {url} as {role}: {response.status_code} "
                                 f"{response.get('Location', '')}")
    assert leaks == []
    after = _snapshot(world), _snapshot(drafts)
    assert after[0][0] == before[0][0]  # row counts: no audit row, no e-mail, no job, nothing
    assert after == before  # A's objects, sent and draft: status, amounts, everything


def test_a_own_people_get_a_pages(world):
    """The positive control: the same URLs give A's own signatory and office 1's caseworker
    A's pages, so the probe above is asking about the right objects."""
    pages = {
        world.a_client: ["applications:receipt", "reporting:receipt", "assessment:decision",
                         "reporting:change_detail", "access:organisation",
                         "reporting:repayment_claim"],
        _client(world.caseworker_1): ["admin:reporting_report_change",
                                      "admin:assessment_submittedapplication_change",
                                      "admin:reporting_changerequest_change",
                                      "admin:reporting_repaymentclaim_change",
                                      "admin:assessment_publishedrecipient_change"],
    }
    found = {name: (route, pattern) for name, route, pattern in patterns()}
    for client, names in pages.items():
        for name in names:
            response = client.get(_url(world, name, *found[name]))
            assert (name, response.status_code) == (name, 200)
            assert world.org_a.name in _body(response), name

