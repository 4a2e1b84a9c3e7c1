from django.shortcuts import render

from .gates import submission_gates
from .inbox import inbox_for
from .selectors import memberships_for_user, open_round_list


def home(request):
    """The start page. For an organisation's users it is the inbox: what waits for them
    and their organisation, most urgent first, and what happened lately; also who they act
    for, what is open, and what stands in the way of a new application (an overdue report
    from an earlier round, say)."""
    rounds = []  # shown only to one signed in
    gates = []
    inbox = None
    if request.user.is_authenticated:
        rounds = open_round_list()
        memberships = list(memberships_for_user(request.user))
        next_round = rounds[0] if rounds else None
        for membership in memberships:
            gates += submission_gates(membership.organisation, next_round)
        if memberships:
            inbox = inbox_for(request.user, memberships=memberships)
            gates = _not_in_inbox(gates, inbox)
    return render(request, "home.html", {"open_rounds": rounds, "gates": gates, "inbox": inbox})


def _not_in_inbox(gates, inbox):
    """A gate the inbox already shows as an item with the same link and the same weight (an
    overdue report: the item says whether it stops the next application or is only to be
    sent soon) is said once, there."""
    shown = {(item.url, item.blocking) for item in [*inbox.mine, *inbox.others]}
    return [gate for gate in gates if not (gate.url and (gate.url, gate.blocking) in shown)]
