"""`coopctl report`: what the registry says about who cooperates with whom, on what, with
which shared solutions, and how complete that knowledge is.

`data.build_report` turns a Registry into a `records.Report`; `markdown`, `html` and `svg`
render it; the terminal rendering lives with the command in coopctl.cli.report.
"""
