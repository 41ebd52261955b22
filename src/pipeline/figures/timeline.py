"""Figur 1: what a cohort does over the programme's months, one row per activity.

Each activity gets its own row with its name written beside its marker, so the long
Norwegian names need no abbreviation and no legend lookup; the kind of activity is told by
marker shape as well as colour, for greyscale print.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pipeline.data.programme import Activity, Programme
from pipeline.figures.contract import Built
from pipeline.figures.inputs import FigureInputError
from pipeline.figures.layout import note
from pipeline.figures.style import (
    BLUE,
    LIGHT_BLUE,
    LIGHT_GREY,
    ORANGE,
    TEAL,
    TEXT,
    format_number,
    new_figure,
)
from pipeline.format.house_style import fmt_words

# kind → (face colour, edge colour, marker)
KIND_STYLE: dict[str, tuple[str, str, str]] = {
    "samling": (BLUE, BLUE, "s"),
    "parmote": ("white", BLUE, "D"),
    "egen_gruppe": (TEAL, TEAL, "^"),
    "samtale": (LIGHT_BLUE, "#6f8fab", "o"),
    "effect": (ORANGE, "#8a5410", "o"),
}
FOLLOWUP_GAP = 1.6
"""Months of axis between the programme's end and the follow-up slot: the year is cut short."""
ROW_CM = 0.52


def _marker(kind: str) -> dict[str, object]:
    """Marker keywords for a kind, shared by the plot and its legend so they cannot drift."""
    face, edge, marker = KIND_STYLE[kind]
    return {
        "marker": marker,
        "markersize": 7,
        "color": face,
        "markeredgecolor": edge,
        "markeredgewidth": 1.1,
        "linestyle": "none",
    }


def _x(activity: Activity, duration: int) -> float:
    """Axis position; activities after the end go to one compressed slot past a cut."""
    return duration + FOLLOWUP_GAP if activity.after_end else activity.start


def _days_label(days: float) -> str:
    return f"{format_number(days, 0 if days == int(days) else 1)} {'dag' if days == 1 else 'dager'}"


def _label(activity: Activity) -> str:
    return f"{activity.label} ({_days_label(activity.days)})" if activity.days else activity.label


def _draw_span(ax: Axes, row: int, activity: Activity) -> None:
    """An ongoing activity: a bar over its months with its name inside."""
    face, edge, _ = KIND_STYLE[activity.kind]
    end = activity.end if activity.end is not None else activity.start
    ax.barh(
        row,
        end - activity.start,
        left=activity.start,
        height=0.62,
        color=face,
        edgecolor=edge,
        linewidth=0.6,
    )
    text_colour = "white" if face in (BLUE, TEAL) else TEXT
    ax.text(activity.start + 0.12, row, activity.label, va="center", color=text_colour)


def _draw_point(ax: Axes, row: int, activity: Activity, duration: int) -> None:
    """A dated activity: a marker in its month, its name on the side with more room."""
    x = _x(activity, duration)
    ax.plot(x, row, zorder=3, **_marker(activity.kind))
    right = x < duration / 2 + 0.5
    note(ax, _label(activity), (x, row), (8 if right else -8, 0), "left" if right else "right")


def _draw_months(ax: Axes, duration: int, followup_label: str) -> None:
    """Shades every other month and marks the cut between the end and the follow-up."""
    for month in range(0, duration, 2):
        ax.axvspan(month, month + 1, color=LIGHT_GREY, alpha=0.6, linewidth=0, zorder=0)
    slot = duration + FOLLOWUP_GAP
    ax.axvspan(slot - 0.5, slot + 0.5, color=LIGHT_GREY, alpha=0.6, linewidth=0, zorder=0)
    cut = (duration + slot - 0.5) / 2
    ax.text(
        cut,
        1.0,
        "//",
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="center",
        color="#595959",
        fontsize=9,
    )
    ax.set_xticks([m + 0.5 for m in range(duration)] + [slot])
    ax.set_xticklabels([str(m + 1) for m in range(duration)] + [followup_label])
    ax.tick_params(axis="x", length=0, labeltop=True, labelbottom=False)
    ax.set_xlim(-0.15, slot + 0.5)
    ax.set_yticks([])
    ax.spines[:].set_visible(False)
    ax.set_xlabel("Måned i programmet")
    ax.xaxis.set_label_position("top")


def _legend(ax: Axes, programme: Programme) -> None:
    handles = []
    for kind, label in programme.kinds.items():
        face, edge, _ = KIND_STYLE[kind]
        if any(a.kind == kind and a.end is None for a in programme.activities):
            handles.append(Line2D([], [], label=label, **_marker(kind)))
        else:
            handles.append(Patch(facecolor=face, edgecolor=edge, linewidth=0.6, label=label))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0, 0),
        ncol=3,
        handletextpad=0.4,
        columnspacing=1.5,
        borderaxespad=0.3,
    )


def timeline_figure(programme: Programme) -> Built:
    """Draws Figur 1 from programme.yaml."""
    unstyled = sorted(set(programme.kinds) - set(KIND_STYLE))
    if unstyled:
        raise FigureInputError(f"programme.yaml: Figur 1 has no style for kind(s) {unstyled}")
    duration = programme.duration_months
    rows = programme.activities
    followup = programme.design["effect_followup_months"]
    fig, ax = new_figure(2.6 + ROW_CM * len(rows))
    for row, activity in enumerate(rows):
        if activity.end is None:
            _draw_point(ax, row, activity, duration)
        else:
            _draw_span(ax, row, activity)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    _draw_months(ax, duration, f"+{followup} mnd.")
    _legend(ax, programme)
    return Built("tidslinje", fig, timeline_caption(programme), timeline_alt(programme))


def timeline_caption(programme: Programme) -> str:
    d = programme.design
    return (
        f"Programmets aktiviteter måned for måned for ett kull på "
        f"{fmt_words(int(d['groups_per_cohort']))} ledergrupper. Til høyre, etter bruddet i "
        "tidsaksen, den tredje Effect-kartleggingen, som gruppene kunne ta "
        f"{d['effect_followup_months']} måneder etter avslutning."
    )


def timeline_alt(programme: Programme) -> str:
    d = programme.design
    days = format_number(float(d["long_gathering_days"]), 1)
    return (
        f"Tidslinje over programmets {d['duration_months']} måneder med én rad per aktivitet. "
        f"Kullet møtes på {programme.count('samling')} fellessamlinger, der den første og den "
        f"siste varer {days} dager. Hver ledergruppe har {programme.count('parmote')} møter "
        f"med en annen ledergruppe, {d['self_evaluations']} egenevalueringer av ledermøter og "
        f"arbeider med {d['development_areas_per_group']['min']}–"
        f"{d['development_areas_per_group']['max']} utviklingsområder gjennom hele perioden. "
        f"Hver leder kan få inntil {d['individual_sessions_max']} individuelle samtaler. "
        f"Gruppene kartlegges med Effect ved oppstart og avslutning, og får tilbud om en "
        f"tredje kartlegging {d['effect_followup_months']} måneder etter."
    )
