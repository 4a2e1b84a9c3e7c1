"""Helsedirektoratet's national view of a round (/nasjonalt/) and the national export:
selectors.py sums the figures per office in the database, tables.py and charts.py turn
them into tables and server-drawn SVG bar charts, excel.py writes the workbook, and the
report figures come from the apps that own them through tilskudd.figures."""
