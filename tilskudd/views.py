from django.shortcuts import render

from .gates import submission_gates
from .selectors import memberships_for_user, open_rounds


def home(request):
    """The start page: who you act for, what is open, and what stands in the way of a
    new application (an overdue report from an earlier round, say)."""
    rounds = list(open_rounds())
    gates = []
    if request.user.is_authenticated:
        next_round = rounds[0] if rounds else None
        for membership in memberships_for_user(request.user):
            gates += submission_gates(membership.organisation, next_round)
    return render(request, "home.html", {"open_rounds": rounds, "gates": gates})
