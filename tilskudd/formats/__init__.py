"""The portal's date formats per language (settings.FORMAT_MODULE_PATH), over Django's own:
a moment is «17. mars 2027 kl. 23:59» in bokmål and nynorsk (Django's nb and nn formats
with «kl.»), «17 March 2027 at 23:59» in English. Templates use the names
(`|date:"DATETIME_FORMAT"`, `|date:"DATE_FORMAT"`), code `date_format(value, "...")`."""
