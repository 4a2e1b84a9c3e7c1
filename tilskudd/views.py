from django.shortcuts import render

from .gates import submission_gates
from .inbox import inbox_for
from .selectors import memberships_for_user, open_rounds


def home(request):
    """The start page. For an organisation's users it is the inbox: what waits for them
    and their organisation, most urgent first, and what happened lately; also who they act
    for, what is open, and what stands in the way of a new application (an overdue report
    from an earlier round, say)."""
    rounds = list(open_rounds())
    gates = []
    inbox = None
    if request.user.is_authenticated:
        memberships = list(memberships_for_user(request.user))
        next_round = rounds[0] if rounds else None
        for membership in memberships:
            gates += submission_gates(membership.organisation, next_round)
        if memberships:
            inbox = inbox_for(request.user, memberships=memberships)
            gates = _not_in_inbox(gates, inbox)
    return render(request, "home.html", {"open_rounds": rounds, "gates": gates, "inbox": inbox})


def _not_in_inbox(gates, inbox):
    """A blocking gate the inbox already shows as a blocking item with the same link (an
    overdue report: the item says it stops the next application) is said once, there."""
    shown = {item.url for item in [*inbox.mine, *inbox.others] if item.blocking}
    return [gate for gate in gates if not (gate.blocking and gate.url and gate.url in shown)]
