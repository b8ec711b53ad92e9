"""Running a lesson so that JupyterLab shows its prose's figures: nbclient's executor, which also saves
each Markdown cell's ``{eval}`` results (used by :mod:`alignkit.build.notebooks` and
:mod:`alignkit.build.labready`).
"""

from __future__ import annotations

from nbclient import NotebookClient

from ..ui.inline import EVAL_ROLE


class NotReady(ValueError):
    """A lesson that cannot be converted automatically (the message says where and why)."""


def expressions(source: str) -> list[str]:
    """The ``{eval}`` expressions of a Markdown cell, in order, each once."""
    seen: list[str] = []
    for m in EVAL_ROLE.finditer(source):
        if m.group("expr") not in seen:
            seen.append(m.group("expr"))
    return seen


class LabReadyClient(NotebookClient):
    """nbclient's executor that also evaluates every Markdown cell's ``{eval}`` expressions once the
    lesson has run (glued values belong to the whole lesson, as on the site) and saves the results as
    ``jupyterlab-myst`` does: ``user_expressions`` in the cell's metadata."""

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        """Run a code cell (other cells stay as they are); after the last cell, save the Markdown ``{eval}`` results."""
        if cell.cell_type == "code":
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell_index == len(self.nb.cells) - 1:
            await self._save_expressions()
        return cell

    async def _save_expressions(self) -> None:
        kc = self.kc
        if kc is None:
            raise RuntimeError("no kernel: the expressions are evaluated while the lesson runs")
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "markdown":
                continue
            exprs = expressions(cell.source)
            if not exprs:
                cell.metadata.pop("user_expressions", None)
                continue
            msg_id = kc.execute(
                "", silent=True, store_history=False, user_expressions={str(i): e for i, e in enumerate(exprs)}
            )
            while True:
                reply = await kc.shell_channel.get_msg(timeout=self.timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            results = reply["content"].get("user_expressions", {})
            saved = []
            for i, expr in enumerate(exprs):
                result = results.get(str(i), {"status": "error", "ename": "NoResult", "evalue": expr, "traceback": []})
                if result.get("status") != "ok" and not self.allow_errors:
                    raise NotReady(
                        f"cell {index}: {{eval}}`{expr}` failed: {result.get('ename')}: {result.get('evalue')}"
                    )
                saved.append({"expression": expr, "result": result})
            cell.metadata["user_expressions"] = saved
