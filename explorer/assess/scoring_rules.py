"""The rules of the self-assessment (issue 4), in words for the reader of the code and, as the
constants below, in the words the pages, the report and the exports show the user.

Nothing here computes: :mod:`explorer.assess.placement` places answers on the ladders and
:mod:`explorer.assess.scoring` scores them (:func:`explorer.assess.scoring.evaluate`), both by these rules.

Rules (also shown to the user by the page, see :data:`LADDER_RULE` etc.)
-------------------------------------------------------------------------
* **Answers** are ``{question_id: answer_index}``; index 0 is the weakest
  answer.  A question that is missing from the dict is *unanswered* and counts
  as index 0 everywhere (it is listed in :attr:`~explorer.assess.scoring_results.AssessmentResult.unanswered`).
  Ids that are not in the questionnaire are ignored and listed in
  :attr:`~explorer.assess.scoring_results.AssessmentResult.unknown`.  An index outside a question's answers is a
  programming error and raises :class:`ValueError`.
* **Ladder**: a level's own requirements are met when every
  ``Requirement(question, at_least)`` has ``answer >= at_least``.  You stand on
  the highest rung whose requirements, *and those of every rung below*, are
  met.  If the first rung's own requirements are not met you stand on no rung
  (``current is None``); in the shipped content the first rung of every ladder
  requires nothing, so everyone stands at least on it.
* **Does not apply (N/A)**: a question whose content sets ``allow_na`` may be
  marked N/A (``evaluate(..., na=...)``); see :data:`NA_RULE`.  An N/A question
  leaves the averages: a quarter or capability score is the mean over its
  questions that apply (``None`` when none applies) and the index is the mean
  of the quarter scores that exist.  On the ladders N/A never meets a
  requirement, unless the ladder file marks that requirement ``na_ok: true``
  because the vendor's own text makes the capability optional for that rung
  (none does in the shipped content).  So N/A can lower a placement compared
  with any real answer that meets the requirement, and can never raise it:
  it cannot make a team look more mature than it is.  The blocker it causes
  says so (``Blocker.not_applicable``).  N/A on a question without
  ``allow_na``, or on a question that is also answered, is a programming error
  (:class:`ValueError`); :func:`explorer.assess.evidence.make_answer_set` turns such
  user input into warnings first.
* **Blockers** for a vendor are exactly the unmet requirements of the next rung
  (every rung below it is met by definition of the current rung).
* **Next steps** merge the blockers of all vendors' next rungs by question: the
  target answer is the highest one any of those rungs needs.  Steps are ordered
  by the number of next rungs the question blocks (more first), then by the gap
  between current and target answer (smaller first: quick wins), then by
  questionnaire order.
* **Scores** are 0-100: the mean, over the questions of a quarter or
  capability, of ``answer_index / (number_of_answers - 1)``, times 100.
* **Index** (0-100): the mean of the quarter scores, each quarter weighing the
  same (the course's 25% rule), see :data:`INDEX_FORMULA`; :func:`~explorer.assess.scoring.index_weighting`
  says what that means per question with the real question counts.
"""

from __future__ import annotations

LADDER_RULE = (
    "You stand on the highest rung whose requirements, and those of every rung below it, are met. "
    "The first rung of each ladder requires nothing, so everyone stands at least on it."
)
UNANSWERED_RULE = "A question you have not answered counts as its first (weakest) answer."
SCORE_FORMULA = (
    "score = 100 × mean over its questions that apply of (answer position ÷ (number of answers − 1)), "
    "first answer = position 0"
)
INDEX_FORMULA = (
    "index = mean of the quarter scores, each quarter weighing the same; "
    "quarter score = 100 × mean over the quarter's questions that apply of (answer position ÷ (number of answers − 1))"
)
NA_RULE = (
    "A question marked 'does not apply' leaves the averages (scores and index are taken over the questions that apply). "
    "On the ladders it never meets a requirement: a rung that needs that question stays out of reach, unless the "
    "ladder marks that requirement as optional because the vendor's own text does."
)
NA_CURRENT_LABEL = "Does not apply (marked N/A)"
PLAN_RULE = (
    "Steps are ordered by how many vendors' next rungs the question holds back (most first), "
    "then by how many answer steps you need to climb (fewest first)."
)
