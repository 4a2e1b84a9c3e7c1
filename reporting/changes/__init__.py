"""Change requests (endringssøknad): a recipient's signatory asks, before the round's change
deadline, to move granted money between the decision's lines or to change a project's
content; the office decides with four eyes, the decision is a PDF letter, and the report
opens with the changed lines.

models (the rows), rules (the deadline and the sum), services (every write), selectors
(every read of more than a line), letters (the PDF and its e-mail), views and forms (the
recipient's pages), admin (the office's), inbox and archive (what others show of it)."""
