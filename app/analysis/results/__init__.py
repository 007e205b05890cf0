"""Protected results, made from the counts: a question's tables, a dashboard, a group's view, a
crossing, weighted shares, a commune's fact sheet. Each reading of one questionnaire starts from
its Figures (figures.py)."""
