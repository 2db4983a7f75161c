"""The roster grid: agents x days, one colour per shift (matplotlib, imported on use)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ccsim._validation import CCSimInputError, _show

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

WEEKEND_BAND = "#e8e8e8"
OFF = "#ffffff"
MIN_FONT = 4.5  # [pt]: smaller names are unreadable, so the cells stay blank


def shift_order(table: pd.DataFrame, coverage: pd.DataFrame) -> list[str]:
    """The shift names in the cover's order, then any others of the table, sorted."""
    names = [str(name) for name in pd.unique(coverage["shift"])] if "shift" in coverage else []
    others = sorted({str(v) for v in np.unique(table.to_numpy().astype(str))} - set(names) - {""})
    return names + others


def plot_roster(table: pd.DataFrame, dates: pd.DatetimeIndex, names: list[str],
                ax: Axes | None) -> Axes:
    """Draw ``table`` (agents x days of shift names) as a coloured grid on ``ax``."""
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes as _Axes
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    if ax is not None and not isinstance(ax, _Axes):
        raise CCSimInputError(
            f"Roster.plot: ax must be a matplotlib Axes or None (a new figure); got {_show(ax)}")
    agents, days = table.shape
    if ax is None:
        _, ax = plt.subplots(figsize=(min(2.5 + 0.32 * days, 24), min(1.5 + 0.28 * agents, 40)))
    palette = plt.get_cmap("tab10" if len(names) <= 10 else "tab20")
    colours = [OFF] + [palette(i % palette.N) for i in range(len(names))]
    code = {"": 0, **{name: i + 1 for i, name in enumerate(names)}}
    grid = np.vectorize(lambda v: code.get(str(v), 0), otypes=[np.int64])(
        table.to_numpy()) if table.size else np.zeros((agents, days), dtype=np.int64)
    weekend = np.array([date.weekday() >= 5 for date in dates], dtype=bool)
    for day in np.flatnonzero(weekend):
        ax.axvspan(day - 0.5, day + 0.5, color=WEEKEND_BAND, zorder=0)
    shown = np.ma.masked_equal(grid, 0)  # days off stay transparent: white or weekend band
    ax.imshow(shown, cmap=ListedColormap(colours), vmin=0, vmax=len(colours) - 1,
              aspect="auto", interpolation="nearest", zorder=1)
    ax.set_facecolor(OFF)
    ax.set_xlim(-0.5, days - 0.5)
    ax.set_ylim(agents - 0.5, -0.5)
    ax.set_xticks(range(days))
    ax.set_xticklabels([f"{d:%a}\n{d.day}" for d in dates], fontsize=7)
    for label, bold in zip(ax.get_xticklabels(), weekend, strict=True):
        if bold:
            label.set_fontweight("bold")
    ax.set_yticks(range(agents))
    ax.set_yticklabels([str(name) for name in table.index], fontsize=7)
    ax.set_xticks(np.arange(-0.5, days, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, agents, 1), minor=True)
    ax.grid(which="minor", color="#bbbbbb", linewidth=0.4)
    ax.tick_params(which="minor", length=0)
    _names_in_cells(ax, table, names, agents, days)
    handles = [Patch(facecolor=colours[i + 1], label=name) for i, name in enumerate(names)]
    handles.append(Patch(facecolor=OFF, edgecolor="#999999", label="off"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
              frameon=False)
    first, last = (dates[0].date(), dates[-1].date()) if len(dates) else ("", "")
    ax.set_title(f"Roster {first} to {last}: {agents} agents (weekends shaded)")
    return ax


def _names_in_cells(ax: Any, table: pd.DataFrame, names: list[str], agents: int,
                    days: int) -> None:
    if not agents or not days or not names:
        return
    figure = ax.figure
    box = ax.get_position()
    width_pt = figure.get_figwidth() * box.width * 72 / days
    height_pt = figure.get_figheight() * box.height * 72 / agents
    longest = max(len(name) for name in names)
    size = min(8.0, 0.6 * height_pt, 1.5 * width_pt / longest)
    if size < MIN_FONT:
        return
    values = table.to_numpy()
    for row in range(agents):
        for day in range(days):
            if values[row, day]:
                ax.text(day, row, str(values[row, day]), ha="center", va="center",
                        fontsize=size, color="black", zorder=2)
