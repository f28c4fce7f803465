"""What every part of the guided path shares: its state, its replies and the booking tools it acts through.

:class:`GuidedBase` holds one guided turn's state (a :class:`~core.conversation.guided_state.GuidedState`)
and the small helpers the booking, listing, canceling and changing steps all use.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from babel.dates import format_date

from core.booking import guests
from core.booking.hours import to_local
from core.booking.refusal_reasons import FreeTime
from core.booking.refusals import Refused, Taken
from core.conversation import booking_tools
from core.conversation.guided_state import GuidedState
from core.conversation.guided_texts import lang, refusal, say, summary
from core.conversation.i18n import FALLBACK
from core.conversation.tools import Tool, ToolArgs, ToolContext, ToolResult
from core.conversation.types import Choice, Reply
from core.conversation.understanding import Understanding
from core.errors import BookingRefused, DomainError, InvalidTransition, NotFound, SlotUnavailable

if TYPE_CHECKING:
    from core.models import Reservation

MAX_CHOICES = 8
ASKED_AGAIN = frozenset(
    {"date", "time", "guests"}
)  # steps whose question is asked again, with a hint, when not understood


@dataclass
class GuidedResult:
    """The replies of one guided turn, and what was understood (for ``ai_activities``)."""

    replies: list[Reply]
    intent: str = "help"  # book / list / cancel / change / info / human / thanks / help
    started_booking: bool = False
    understood: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


class GuidedBase(ABC):
    """The state of one guided turn and the helpers its steps share; :class:`~core.conversation.guided.GuidedFlow`
    is the whole flow. The state is loaded here, once a turn, and saved by the flow when the turn ends."""

    def __init__(self, context: ToolContext, tools: dict[str, Tool]) -> None:
        self.ctx = context
        self.tools = tools
        self.lang = context.language
        self.state = GuidedState.load(context.conversation)
        self.today = to_local(context.now, context.restaurant.timezone)[0]
        self.region = guests.region_of(context.restaurant.phone)
        self.u = Understanding(text="", language=self.lang)

    @abstractmethod
    async def _dispatch(self) -> GuidedResult:
        """Answer the message in ``self.u`` from the current step."""

    @abstractmethod
    async def _booking(self, step: str | None) -> GuidedResult:
        """Take the booking details of ``self.u`` and ask for the next one (or confirm)."""

    async def _act(self, name: str, args: ToolArgs) -> ToolResult:
        """Run the booking tool ``name``'s handler (the one the LLM calls, a plugin's when it replaced the
        built-in one); domain errors propagate. With the built-in tools switched off for the LLM, the guided
        path still books with the built-in handlers."""
        tool = self.tools.get(name) or booking_tools.BUILTIN_BY_NAME[name]
        return await tool.handler(self.ctx, args)

    async def _act_on(self, name: str, args: ToolArgs) -> _Booked:
        """Run the booking tool ``name`` (as :meth:`_act`) and read the reservation it answers with."""
        done = await self._act(name, args)
        view = done.get("reservation")
        if not isinstance(view, Mapping):
            raise TypeError(f"the {name} tool answered without a reservation")
        return _Booked.of(view)

    async def _mine(self) -> list[_Booked]:
        """The guest's upcoming reservations, through the same tool the LLM lists them with."""
        if self.ctx.guest is None:
            return []
        found = (await self._act("list_my_reservations", {})).get("reservations")
        return (
            [_Booked.of(view) for view in found or () if isinstance(view, Mapping)] if isinstance(found, list) else []
        )

    def _summary(self, r: _Booked | Reservation) -> str:
        return summary(self.lang, r.date, r.time, r.guests)

    def _no_reservations(self, intent: str) -> GuidedResult:
        self.state = GuidedState()
        key = "no_reservations" if self.ctx.guest is not None else "no_guest"
        return self._result(say(self.lang, key), intent=intent, choices=self._menu_choices())

    def _pick(self, mine: list[_Booked]) -> _Booked | None:
        numbers = set(self.u.numbers)
        picked = next((r for r in mine if r.id in numbers), None)
        if picked is None and len(mine) == 1:
            picked = mine[0]
        return picked

    def _refusal(self, exc: BookingRefused) -> str:
        """The refusal told in the guest's language (a tool's own refusal without a reason: its message in
        English, the general refusal in another language)."""
        if isinstance(exc, Refused):
            return refusal(self.lang, exc.refusal, phone=self.ctx.restaurant.phone)
        return exc.message if lang(self.lang) == FALLBACK else say(self.lang, "refusal")

    def _failure(self, exc: DomainError) -> str:
        """A booking action that failed, told to the guest: in English as staff are told it (its message), in
        another language by what went wrong (the booking can no longer change, or was not found)."""
        if lang(self.lang) == FALLBACK:
            return exc.message
        if isinstance(exc, InvalidTransition):
            return say(self.lang, "no_longer_changeable")
        return say(self.lang, "booking_not_found" if isinstance(exc, NotFound) else "cannot_do")

    def _book_choice(self) -> Choice:
        return Choice(say(self.lang, "book"), say(self.lang, "book"))

    def _menu_choices(self) -> list[Choice]:
        return [self._book_choice(), Choice(say(self.lang, "mine"), say(self.lang, "mine"))]

    def _yes_no(self) -> list[Choice]:
        return [
            Choice(say(self.lang, "yes"), say(self.lang, "yes")),
            Choice(say(self.lang, "no"), say(self.lang, "no")),
        ]

    def _date_examples(self) -> dict[str, str]:
        """Example days for the date question, always in the future: a weekday name and a date."""
        weekday = self.today + timedelta(days=3)
        example = self.today + timedelta(days=10)
        return {
            "weekday": format_date(weekday, "EEEE", locale=lang(self.lang)),
            "example": format_date(
                example, say(self.lang, "day_format").replace("EEE, ", "").replace("EEE ", ""), locale=lang(self.lang)
            ),
        }

    def _menu(self, again: bool = False) -> GuidedResult:
        text = say(self.lang, "menu_again" if again else "menu")
        return self._result(text, intent="help", choices=self._menu_choices(), confidence=0.3 if again else 1.0)

    def _result(
        self, *lines: str, intent: str = "book", choices: list[Choice] | None = None, **kw: Any
    ) -> GuidedResult:
        return GuidedResult([Reply(" ".join(lines), tuple(choices or ()))], intent=intent, **kw)


@dataclass(frozen=True)
class _Booked:
    """A reservation as the tools show it (what the guided flow lists and summarises)."""

    id: int
    date: date
    time: time
    guests: int

    @classmethod
    def of(cls, view: Mapping[str, object]) -> _Booked:
        return cls(_as_int(view["id"]), _as_date(view["date"]), _as_time(view["time"]), _as_int(view["guests"]))


def _as_int(value: object) -> int:
    if isinstance(value, int | str):
        return int(value)
    raise TypeError(f"not a whole number: {value!r}")


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_time(value: object) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value)[:5])


def free_times(exc: SlotUnavailable) -> list[FreeTime]:
    """The nearest free times a full slot's refusal names (read from its JSON when a plugin's tool raised it)."""
    if isinstance(exc, Taken):
        return list(exc.unavailable.alternatives)
    return [FreeTime(_as_date(a["date"]), _as_time(a["time"])) for a in exc.alternatives]
