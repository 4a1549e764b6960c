"""The scrolling body of a form: PageDown/PageUp and the wheel move through every field, the cursor in view."""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.widget import Widget


class FormBody(VerticalScroll, can_focus=False):
    """Every field, the documents and the phone scroll as one; a page key takes the cursor along with the page."""

    def action_page_down(self) -> None:
        """One page down; the cursor goes to the first field now in view (the last one at the bottom)."""
        self._page(1)

    def action_page_up(self) -> None:
        """One page up; the cursor goes to the first field now in view (the first one at the top)."""
        self._page(-1)

    def _page(self, step: int) -> None:
        before = self.scroll_y
        target = min(max(before + step * self.scrollable_content_region.height, 0), self.max_scroll_y)
        self.scroll_to(y=target, animate=False, immediate=True)
        at_end = target == before
        self.call_after_refresh(self._focus_in_view, step, at_end)

    def _focus_in_view(self, step: int, at_end: bool) -> None:
        shown = self.focusable_in_view()
        if not shown:
            return
        if at_end:
            shown[-1 if step > 0 else 0].focus(scroll_visible=False)
        elif self.screen.focused not in shown or step > 0:
            shown[0].focus(scroll_visible=False)

    def focusable_in_view(self) -> list[Widget]:
        """The focusable widgets of the form wholly inside the visible part, in Tab order."""
        visible = self.content_region
        return [w for w in self.screen.focus_chain if self in w.ancestors and visible.contains_region(w.region)]

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Bring the whole row of the focused widget into view (its reason and long value beneath it too)."""
        inside = event.widget.ancestors[: event.widget.ancestors.index(self)] if self in event.widget.ancestors else []
        row = next((a for a in inside if isinstance(a, Widget) and a.has_class("field-row")), event.widget)
        self.scroll_to_widget(row, animate=False, immediate=True)
