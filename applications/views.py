# Placeholder while the views are written (helper: applications views). Replaced wholesale.
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


archive = start = edit = preview = request_signature = submit = withdraw = _todo
attachment_add = attachment_download = attachment_remove = _todo
receipt = receipt_status = receipt_pdf = _todo
