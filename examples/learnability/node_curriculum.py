"""The curriculum arm's order of training rows: one level per node count in the training split
(4, then 5, then 6 nodes, read from each record's meta), then the full mixture.

Each level trains on its own rows until the model's accuracy on a held-out slice of them (whole
skeleton twin pairs, so the slice is balanced Yes / No; never trained on) reaches `target`,
checked every `every` steps, or until the level has used `share` of the budget; the next level
starts there, and after the last one the mixture of every level's rows takes the remaining
steps. Every change is kept in `history` (step, level, accuracy, why).

The vocabulary is `axiomc.curriculum.Curriculum`'s (levels, a target, `observe`, `history`),
without its reliance on the compiler: the levels are the node counts the compiled split holds, and
the rule only raises (one attribute, no window of rewards, no margin, no lowering).
"""
from tiny_lm import Shuffled

MIXTURE = "mixture"


def twin_pairs(rows, members, count, rng):
    """About `count` of `members` (indices into `rows`), drawn as whole twin pairs (a question and
    its label-flipped skeleton twin; a row without a twin in `members` stands alone)."""
    index = {rows[i]["id"]: i for i in members}
    groups = sorted({tuple(sorted({i, index.get(rows[i]["meta"].get("twin"), i)})) for i in members})
    rng.shuffle(groups)
    picked = []
    for group in groups:
        if len(picked) >= count:
            break
        picked.extend(group)
    return picked


class NodeCurriculum:
    """Levels by node count, raised by held-out accuracy or by budget; an `order` for `train_arm`."""

    def __init__(self, rows, steps, rng, target=0.8, every=100, share=0.25, held_out=200, log=None):
        self.levels = sorted({r["meta"]["nodes"] for r in rows})
        self.target, self.every, self.cap = target, every, max(1, int(share * steps))
        self.rng, self.log = rng, log
        self.slices, self.pools = {}, {}
        for n in self.levels:
            members = [i for i, r in enumerate(rows) if r["meta"]["nodes"] == n]
            picked = twin_pairs(rows, members, min(held_out, len(members) // 5), rng)
            self.slices[n] = [rows[i] for i in picked]
            kept = set(picked)
            self.pools[n] = [i for i in members if i not in kept]
        self.pools[MIXTURE] = [i for n in self.levels for i in self.pools[n]]
        self.history, self.checks = [], []
        self._enter(0, 0)

    def _enter(self, position, step):
        self.position, self.started = position, step
        self.level = self.levels[position] if position < len(self.levels) else MIXTURE
        self.order = Shuffled(self.pools[self.level], self.rng)

    def observe(self, step, accuracy):
        """Takes the held-out accuracy of the current level at `step`; raises the level when it
        reaches the target or the level's share of the budget is spent. Returns the change, or None."""
        self.checks.append({"step": step, "level": self.level, "accuracy": round(accuracy, 4)})
        reached, spent = accuracy >= self.target, step - self.started >= self.cap
        if not (reached or spent):
            return None
        old = self.level
        self._enter(self.position + 1, step)
        change = {"step": step, "from": old, "to": self.level, "accuracy": round(accuracy, 4),
                  "why": "target" if reached else "budget"}
        self.history.append(change)
        if self.log:
            self.log(f"curriculum: {old} -> {self.level} (nodes) at step {step} ({change['why']}, "
                     f"held-out accuracy {accuracy:.3f})")
        return change

    def take(self, step, batch, score):
        """The next batch's row indices; checks the current level first when a check is due."""
        spent = step - self.started
        if self.level != MIXTURE and spent and (spent % self.every == 0 or spent >= self.cap):
            self.observe(step, score(self.slices[self.level]))
        return self.order.take(step, batch)

    def facts(self, score):
        """The run's curriculum, for its facts JSON: settings, changes, checks, and the final
        model's accuracy on every level's held-out slice (`score(rows)`)."""
        return {"levels": self.levels, "target": self.target, "every": self.every, "cap_steps": self.cap,
                "held_out": {str(n): len(self.slices[n]) for n in self.levels},
                "history": self.history, "checks": self.checks,
                "final_level": self.level,
                "final_held_out": {str(n): round(score(self.slices[n]), 4) for n in self.levels}}
