"""A simple mood trend as SVG geometry for the template (which also shows a data table).

Points are drawn as shapes with the mood written on the axis, so the chart reads without
colour; the template gives the SVG a text alternative and the table is the real content.
"""

from staffwell.wellbeing import content

# A small drawing so its labels stay readable when a phone shrinks it (18 units is about
# 13 px on a 320 px screen, 18 px at the widest, 440 px).
WIDTH = 400
HEIGHT = 220
LEFT = 120  # room for the mood names
RIGHT = 16
TOP = 16
BOTTOM = 40


def mood_chart(points) -> dict | None:
    if len(points) < 2:
        return None
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def y(mood: float) -> float:
        return round(TOP + plot_h * (content.HIGHEST_MOOD - mood) / (content.HIGHEST_MOOD - content.LOWEST_MOOD), 1)

    coords = [{"x": round(LEFT + plot_w * (p.date - first).days / span, 1), "y": y(p.mood), "point": p} for p in points]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "levels": [{"y": y(m.value), "label": m.name} for m in content.MOODS],
        "coords": coords,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{c['x']},{c['y']}" for i, c in enumerate(coords)),
        "first": first,
        "last": last,
    }
