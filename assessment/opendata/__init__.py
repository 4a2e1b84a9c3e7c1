"""Open data on every grant: the decisions of each round, once its letters are sent, as a
360Giving Data Standard package (JSON) and the same grants as CSV, on the public page
/apne-data/.

- `publication` – which rounds and offices are published (the rule);
- `grants` – the grants of a round, built from the decisions (assessment.selectors) and
  the applications (applications.selectors), with no personal data;
- `schema` – validating a package against the local copy of the schemas;
- `flat` – the CSV;
- `views` / `urls` – the public page and its files.
"""
