"""Each page's title line: the page's name and the question it answers.

The questions are the README's pages table, word for word (``tests/test_app.py`` checks it).
"""

from __future__ import annotations

import streamlit as st

#: The question each page answers, by page title.
QUESTIONS = {
    "Overview": "How is the book doing?",
    "Segmentation": "Where is our revenue, and which customers justify a named CSM?",
    "Health": "How healthy is the book, where is ARR at risk and why, and does the score "
              "predict churn?",
    "Retention": "Are we keeping and growing the customers we win?",
    "Forecast": "What will GRR and NRR be over the next 12 months, how sure are we, and what "
                "would change it?",
    "Capacity": "How many CSMs does the book need, at what cost, hired when?",
    "Board pack": "What goes in front of the board?",
    "Data": "Where do the numbers come from?",
    "Definitions": "What exactly does each number mean?",
}


def title(name: str) -> None:
    """The page title with its question on the line under it."""
    st.title(name)
    st.container(key="page_question").markdown(QUESTIONS[name])
