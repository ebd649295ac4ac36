"""The coding widget: code comments one at a time in JupyterLab, every decision kept at once.

Two layers:

- :class:`CodingSession` (:mod:`analysis.comments.coding_session`) holds the logic and no
  widgets: which comments are shown (filters, the blind second coder's seeded sample), in
  what order, where the coder is, their progress, and what each decision writes to the
  coder's :class:`~analysis.datapackage.coding_logs.CodingLog`. It can be driven and tested
  from plain Python.
- :class:`CodingWidget` is the ipywidgets face of a session: the comment with its year and
  group, the codebook as checkboxes grouped by theme (definitions on hover), a memo box,
  previous / skip / next, a progress count and the filters.

What each action records (see :mod:`analysis.datapackage.coding_logs` for the log):

- ticking a code writes ``apply`` at once, unticking writes ``remove``;
- **next** says "I have finished with this comment": a ``read`` (with the memo) is written
  if the comment has no decision yet or its memo changed, so a comment read and left without
  a code is known to have none;
- **skip** and **previous** leave an undecided comment undecided (nothing is written; a memo
  typed on it is kept as an unsaved draft until the coder comes back and presses next); on a
  comment already decided, a changed memo is saved;
- **accept** on a machine suggestion applies its code (``apply``, with a memo giving the
  model's probability); **reject** writes ``reject`` and the suggestion is not offered again.
  Nothing a model suggests is applied until the coder accepts it;
- **code passage** applies a code to part of the comment: the coder pastes or types the
  passage, the session finds it in the comment (ignoring case and spacing; a placeholder such
  as ``[NAME]`` in a redacted comment stands for the text it hides) and writes ``apply`` with
  that character span (``text[start:end]`` of the comment as written) and the coder's note.

Privacy: a comment is shown with its year, question and group (directorate and staff group
by default), never with its respondent's identifier, and its text passes
:func:`analysis.comments.redact` before it is shown (``redact_text=False`` turns this off).
In blind mode the session reads only the coder's own log: another coder's codes, and a
model's suggestions, are never shown.

Examples
--------
In a notebook::

    from analysis.comments.widget import coding_widget
    coding_widget("data/demo")                                   # the first coder
    coding_widget("data/demo", blind_sample=150, seed=2008)      # the blind second coder
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from analysis.comments.coding_session import (
    GROUP_COLUMNS,
    NOT_STATED,
    CodingSession,
    PassageCoding,
    Progress,
    ShownComment,
    locate_passage,
)
from analysis.datapackage.codebook import Code, Codebook

__all__ = [
    "GROUP_COLUMNS",
    "NOT_STATED",
    "ShownComment",
    "Progress",
    "PassageCoding",
    "locate_passage",
    "CodingSession",
    "CodingWidget",
    "coding_widget",
]

_ANY = "(any)"
_NO_CODER = "Type your name or initials in 'Coder' (and press Enter) to start coding."


class CodingWidget(widgets.VBox):
    """The ipywidgets face of a :class:`CodingSession`; display it in a notebook.

    Parameters
    ----------
    session
        The session to show and drive.

    Attributes
    ----------
    coder
        The coder's name (``Text``); nothing can be coded until it is set.
    checkboxes
        Code id to its ``Checkbox`` (label shown, definition on hover).
    memo
        The memo about the current comment (``Textarea``).
    previous_button, skip_button, next_button
        Navigation.
    uncoded_only, code_filter, year_filter, group_filter, suggested_filter
        The filters (``suggested_filter`` only offers codes when there are suggestions).
    suggestion_rows
        One row per open machine suggestion of the comment shown (hidden when unused):
        ``(label, accept, reject)``, an ``HTML`` with the code and its probability and two
        ``Button``.
    passage, passage_code, passage_memo, passage_button
        Coding a passage: the passage (``Text``, pasted or typed), the code (``Dropdown``),
        a note (``Text``) and the button that applies it.
    passage_codings, remove_passage_button
        The codes applied to passages of the comment shown (``Dropdown``), and the button
        that takes the selected one off.
    comment, progress, suggestions, status
        What is shown (``HTML``; ``suggestions`` heads the suggestion rows).
    """

    def __init__(self, session: CodingSession) -> None:
        self.session = session
        self._loading = False
        self.coder = widgets.Text(
            description="Coder",
            placeholder="your name or initials",
            continuous_update=False,
            tooltip="Who is coding: each coder's decisions go to their own log",
        )
        self.uncoded_only = widgets.Checkbox(description="uncoded only", indent=False)
        self.code_filter = widgets.Dropdown(
            description="Code", options=[(_ANY, None)] + _code_options(session.codebook)
        )
        self.year_filter = widgets.Dropdown(
            description="Year", options=[(_ANY, None)] + [(str(y), y) for y in session.years]
        )
        self.group_filter = widgets.Dropdown(
            description="Group",
            options=[(_ANY, None)]
            + [
                (f"{column.replace('_', ' ')}: {value}", (column, value))
                for column in session.group_columns
                for value in session.group_values(column)
            ],
        )
        labels = {code.id: code.label for code in session.codebook}
        self.suggested_filter = widgets.Dropdown(
            description="Suggested",
            options=[(_ANY, None)] + [(labels[c], c) for c in session.suggested_codes],
            layout=widgets.Layout(display=None if session.suggested_codes else "none"),
        )
        self.progress = widgets.HTML()
        self.comment = widgets.HTML(layout=widgets.Layout(max_width="60em"))
        self.suggestions = widgets.HTML()
        self.suggestion_rows = [self._suggestion_row(i) for i in range(session.most_suggestions)]
        self.checkboxes: dict[str, widgets.Checkbox] = {}
        themes = [self._theme_box(theme) for theme in session.codebook.children(None)]
        self.memo = widgets.Textarea(
            description="Memo", placeholder="a note about this comment (saved on Next)"
        )
        self.previous_button = widgets.Button(description="Previous", icon="arrow-left")
        self.skip_button = widgets.Button(description="Skip", tooltip="leave undecided for now")
        self.next_button = widgets.Button(
            description="Next",
            icon="arrow-right",
            button_style="primary",
            tooltip="done with this comment: record it as read, with the memo",
        )
        self.passage = widgets.Text(
            description="Passage",
            placeholder="paste or type the words of the comment to code",
            layout=widgets.Layout(width="40em"),
        )
        self.passage_code = widgets.Dropdown(
            description="Code", options=_code_options(session.codebook)
        )
        self.passage_memo = widgets.Text(description="Note", placeholder="optional")
        self.passage_button = widgets.Button(
            description="Code passage", tooltip="apply the code to this passage only"
        )
        self.passage_codings = widgets.Dropdown(description="Passages", options=[])
        self.remove_passage_button = widgets.Button(
            description="Remove", tooltip="take the code off the passage selected"
        )
        self.status = widgets.HTML()
        self._connect()
        super().__init__(
            [
                widgets.HBox([self.coder, self.uncoded_only]),
                widgets.HBox(
                    [self.code_filter, self.year_filter, self.group_filter, self.suggested_filter],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.progress,
                self.comment,
                self.suggestions,
                *(widgets.HBox(list(row)) for row in self.suggestion_rows),
                widgets.HBox(themes, layout=widgets.Layout(flex_flow="row wrap")),
                widgets.HBox(
                    [self.passage, self.passage_code, self.passage_memo, self.passage_button],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                widgets.HBox([self.passage_codings, self.remove_passage_button]),
                self.memo,
                widgets.HBox([self.previous_button, self.skip_button, self.next_button]),
                self.status,
            ]
        )
        if session.coder is not None:
            self.coder.value = session.coder
        self._show()

    def _suggestion_row(self, index: int) -> tuple[widgets.HTML, widgets.Button, widgets.Button]:
        label = widgets.HTML(layout=widgets.Layout(min_width="20em"))
        accept = widgets.Button(description="Accept", icon="check", button_style="success")
        reject = widgets.Button(description="Reject", icon="times")
        accept.on_click(lambda _: self._on_suggestion(index, accept=True))
        reject.on_click(lambda _: self._on_suggestion(index, accept=False))
        return label, accept, reject

    def _theme_box(self, theme: Code) -> widgets.VBox:
        title = html.escape(_hover_text(theme), quote=True)
        heading = widgets.HTML(f'<b title="{title}">{html.escape(theme.label)}</b>')
        rows: list[widgets.Widget] = [heading]
        codebook = self.session.codebook
        for code in codebook:
            if not code.codable or codebook.theme_of(code.id) != theme.id:
                continue
            depth = _depth(self.session.codebook, code)
            box = widgets.Checkbox(
                description=code.label,
                tooltip=_hover_text(code),
                indent=False,
                layout=widgets.Layout(margin=f"0 0 0 {max(depth - 1, 0) * 1.5}em", width="auto"),
            )
            box.observe(self._on_tick(code.id), names="value")
            self.checkboxes[code.id] = box
            rows.append(box)
        return widgets.VBox(rows, layout=widgets.Layout(margin="0 1.5em 0.5em 0", min_width="16em"))

    def _connect(self) -> None:
        self.coder.observe(self._on_coder, names="value")
        self.memo.observe(self._on_memo, names="value")
        for control in (
            self.uncoded_only,
            self.code_filter,
            self.year_filter,
            self.group_filter,
            self.suggested_filter,
        ):
            control.observe(self._on_filter, names="value")
        self.previous_button.on_click(lambda _: self._navigate(self.session.previous, "start"))
        self.skip_button.on_click(lambda _: self._navigate(self.session.skip, "end"))
        self.next_button.on_click(lambda _: self._navigate(self.session.next, "end"))
        self.passage_button.on_click(self._on_code_passage)
        self.remove_passage_button.on_click(self._on_remove_passage)

    # -- events

    def _report(self, message: str, problem: bool = False) -> None:
        colour = "#b00020" if problem else "#444"
        self.status.value = f'<span style="color:{colour}">{html.escape(message)}</span>'

    def _on_coder(self, change: dict[str, Any]) -> None:
        name = str(change["new"]).strip()
        if not name or name == self.session.coder:
            return
        try:
            self.session.set_coder(name)
        except ValueError as error:
            self._report(str(error), problem=True)
            return
        self._report(f"Coding as {name}: every tick is saved at once.")
        self._show()

    def _on_memo(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self.session.memo = str(change["new"])

    def _on_tick(self, code_id: str) -> Callable[[dict[str, Any]], None]:
        def record(change: dict[str, Any]) -> None:
            if self._loading:
                return
            try:
                if change["new"]:
                    self.session.apply(code_id)
                else:
                    self.session.remove(code_id)
            except ValueError as error:
                self._report(str(error), problem=True)
                self._show()
                return
            self.status.value = ""
            self.progress.value = html.escape(str(self.session.progress()))

        return record

    def _on_suggestion(self, index: int, accept: bool) -> None:
        shown = self.session.suggestions()
        if index >= len(shown):
            return
        code_id = shown[index][0]
        label = self.session.codebook[code_id].label
        try:
            if accept:
                self.session.accept_suggestion(code_id)
            else:
                self.session.reject_suggestion(code_id)
        except ValueError as error:
            self._report(str(error), problem=True)
            return
        self._report(f"{'Accepted' if accept else 'Rejected'} the suggestion {label!r}.")
        self._show()

    def _on_code_passage(self, _: widgets.Button) -> None:
        code_id = self.passage_code.value
        try:
            coding = self.session.code_passage(code_id, self.passage.value, self.passage_memo.value)
        except ValueError as error:
            self._report(str(error), problem=True)
            return
        self.passage.value = self.passage_memo.value = ""
        label = self.session.codebook[code_id].label
        self._report(f"Coded {coding.text!r} as {label!r}.")
        self._show()

    def _on_remove_passage(self, _: widgets.Button) -> None:
        chosen = self.passage_codings.value
        if chosen is None:
            self._report("Choose the passage coding to remove.", problem=True)
            return
        code_id, span = chosen
        try:
            self.session.remove_passage(code_id, span)
        except ValueError as error:
            self._report(str(error), problem=True)
            return
        self._report(f"Removed {self.session.codebook[code_id].label!r} from the passage.")
        self._show()

    def _on_filter(self, _: dict[str, Any]) -> None:
        try:
            self.session.set_filters(
                uncoded_only=self.uncoded_only.value,
                code=self.code_filter.value,
                year=self.year_filter.value,
                group=self.group_filter.value,
                suggested=self.suggested_filter.value,
            )
        except ValueError as error:
            self._report(str(error), problem=True)
        self._show()

    def _navigate(self, move: Callable[[], bool], edge: str) -> None:
        try:
            moved = move()
        except ValueError as error:
            self._report(str(error), problem=True)
            return
        self._report("" if moved else f"This is the {edge} of the view.")
        self._show()

    # -- showing the session

    def _show(self) -> None:
        session = self.session
        shown = session.current
        applied = session.applied_codes()
        ready = session.coder is not None and shown is not None
        self._loading = True
        try:
            for code_id, box in self.checkboxes.items():
                box.value = code_id in applied
                box.disabled = not ready
            self.memo.value = session.memo
        finally:
            self._loading = False
        for control in (
            self.memo,
            self.previous_button,
            self.skip_button,
            self.next_button,
            self.passage,
            self.passage_code,
            self.passage_memo,
            self.passage_button,
        ):
            control.disabled = not ready
        for control in (self.uncoded_only, self.code_filter):
            control.disabled = session.coder is None
        self.progress.value = html.escape(str(session.progress()))
        self.comment.value = _comment_html(shown)
        labels = {code.id: code.label for code in session.codebook}
        suggested = session.suggestions()
        self.suggestions.value = (
            "<b>Suggested by the model</b> (nothing is applied until you accept it):"
            if suggested
            else ""
        )
        for i, (label, accept, reject) in enumerate(self.suggestion_rows):
            if i < len(suggested):
                code_id, probability = suggested[i]
                label.value = f"{html.escape(labels[code_id])} ({probability:.0%})"
                label.layout.display = accept.layout.display = reject.layout.display = None
                accept.disabled = reject.disabled = session.coder is None
            else:
                label.layout.display = accept.layout.display = reject.layout.display = "none"
        passages = session.passages()
        self.passage_codings.options = [
            (f"{labels[coding.code_id]}: {coding.text}", (coding.code_id, coding.span))
            for coding in passages
        ]
        self.passage_codings.index = 0 if passages else None
        self.passage_codings.disabled = self.remove_passage_button.disabled = not passages
        if session.coder is None:
            self._report(_NO_CODER)


def _code_options(codebook: Codebook) -> list[tuple[str, str]]:
    return [(code.label, code.id) for code in codebook if code.codable]


def _depth(codebook: Codebook, code: Code) -> int:
    depth = 0
    while code.parent is not None:
        code, depth = codebook[code.parent], depth + 1
    return depth


def _hover_text(code: Code) -> str:
    parts = [code.definition or code.label]
    if code.when_to_use:
        parts.append(f"Use when: {code.when_to_use}")
    if code.when_not_to_use:
        parts.append(f"Not when: {code.when_not_to_use}")
    return "\n".join(parts)


def _comment_html(shown: ShownComment | None) -> str:
    if shown is None:
        return "<i>No comment matches these filters.</i>"
    where = " · ".join(html.escape(value) for value in shown.groups.values())
    question = f"<br><i>{html.escape(shown.question)}</i>" if shown.question else ""
    return (
        f'<div style="color:#555">{shown.year} · {where}{question}</div>'
        f'<div style="font-size:1.15em;margin:0.5em 0;white-space:pre-wrap">'
        f"{html.escape(shown.text)}</div>"
    )


def coding_widget(folder: Path | str, coder: str | None = None, **options: Any) -> CodingWidget:
    """The coding widget on a data package's comments: the one call a notebook makes.

    Parameters
    ----------
    folder
        The data package folder; coders' logs go to its ``codings/`` sub-folder.
    coder
        The coder's name, if already known (otherwise typed into the widget).
    **options
        Keyword arguments of :class:`CodingSession` (``blind_sample``, ``seed``,
        ``suggestions``, ``group_columns``, ``redact_text``...).

    Returns
    -------
    CodingWidget
        Display it (make it the cell's last expression).
    """
    session = CodingSession.from_package(folder, **options)
    if coder is not None:
        session.set_coder(coder)
    return CodingWidget(session)
