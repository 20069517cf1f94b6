"""The one table scripts/bench prints: figure, peer, ratio, target."""


class Rows:
    def __init__(self):
        self.rows = []

    def add(self, what, figure, peer="", ratio=None, target="", ok=None):
        """`ratio` is ours over the peer's, oriented so that bigger is better; `ok` overrides the
        pass mark when the target is not a ratio."""
        if ok is None and ratio is not None and target.startswith(">="):
            ok = ratio >= float(target[2:].strip().rstrip("x"))
        self.rows.append((what, figure, peer, "" if ratio is None else f"{ratio:.2f}x", target,
                          "" if ok is None else ("ok" if ok else "MISSED")))
        print(f"  {what}: {figure}  {peer}  {'' if ratio is None else f'{ratio:.2f}x'}  {target}",
              flush=True)

    def markdown(self):
        header = ("measure", "figure", "peer (same run)", "ratio", "target", "")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)
