"""`carecheck portfolio`: every organisation of an audits folder, one row each, from its latest audit.

The files are read once, one at a time, into the running totals of their audit (grouping's
router), each scored against the checklist it answered (records.Rescorer), each organisation on its
own checklist. Only the latest two audits of each organisation are turned into Scorecards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from carecheck.audits.grouping import CurrentChecklists, Router
from carecheck.audits.records import Rescorer
from carecheck.catalog.loading import Catalog, read_answers
from carecheck.catalog.validation import discover
from carecheck.errors import UsageError
from carecheck.fs import is_dir
from carecheck.scoring.portfolio import Portfolio, PortfolioRow

Files = list[tuple[Path, bool]]


def build_portfolio(
    folder: Path,
    catalog: Catalog,
    *,
    rescore: str = "stored",
    progress: Callable[[Files], Iterable[tuple[Path, bool]]] | None = None,
    jobs: int | None = 1,
) -> tuple[Portfolio, list[str]]:
    """The portfolio of the audits under `folder`, and the notices (checklists not found, rescoring)."""
    if not is_dir(folder):
        raise UsageError(f"no audits folder '{folder}' (give DIR, or set `audits:` in carecheck.yaml)")
    rescorer = Rescorer(rescore)
    router = Router(rescorer=rescorer)
    current = CurrentChecklists(catalog)  # found as history finds them: from the first file's folder
    paths = list(discover([folder]))
    for path, answers in read_answers(paths, jobs=jobs, progress=progress):
        found = current.of(answers.checklist.id, path)
        if found is not None:
            router.add(found, answers, str(path))
    rows: list[PortfolioRow] = []
    for organisation in router.organisations():
        audits = router.of(organisation)
        for cid in sorted({g.checklist for g in audits}):
            mine = [g for g in audits if g.checklist == cid]
            previous = mine[-2].aggregate.scorecard() if len(mine) > 1 else None
            rows.append(PortfolioRow.of(mine[-1].aggregate.scorecard(), previous, len(mine)))
    if not rows:
        current.refuse_all_lost()
        raise UsageError(
            f"no audits in {folder} (an answer file starts with `carecheck-answers: 1`; "
            "`carecheck audit` saves them there)"
        )
    return Portfolio.of(str(folder), rows), [*rescorer.notices(), *current.notices]
