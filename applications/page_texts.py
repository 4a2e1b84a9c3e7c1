"""What the application form's script (static/js/application-form.js) says, translated
here; the form and preview pages embed it as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tilskudd.session_views import other_user_text, signed_out_text


def js_texts() -> dict[str, str]:
    return {
        "saved": _("Sist lagret kl. %(time)s"),
        "saved_with_errors": _(
            "Sist lagret kl. %(time)s. Noen felt har feil og er ikke lagret – se meldingene "
            "ved feltene."
        ),
        "not_saved": _("Kunne ikke lagre akkurat nå. Prøv igjen, eller trykk «Lagre»."),
        "signed_out": signed_out_text(),
        "other_user": other_user_text(),
        "remove_line": _("Fjern linje"),
        "line_removed": _("Linjen er fjernet. Den slettes når søknaden lagres."),
        "line_added": _("En ny linje er lagt til."),
    }
