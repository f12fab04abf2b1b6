"""What an import did, item by item, for the command's output and the feed's record."""

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """The whole import is refused (unreadable file, unreachable feed...): nothing written."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # imported, with a problem
    # Elements of a content that became no block: kind → {item: how many}.
    elements: dict[str, dict[str, int]] = field(default_factory=dict)
    # What was created or updated, per kind of content: (action, kind) → count.
    kinds: dict[tuple[str, str], int] = field(default_factory=dict)

    def skip(self, item, why):
        self.skipped.append((str(item), str(why)))

    def warn(self, item, problem):
        self.warnings.append((str(item), str(problem)))

    def elements_of(self, item, counts: dict[str, int]):
        """The elements one conversion of `item` left out (a later pass replaces them)."""
        for per_item in self.elements.values():
            per_item.pop(str(item), None)
        for kind, count in counts.items():
            self.elements.setdefault(kind, {})[str(item)] = count
        self.elements = {kind: items for kind, items in self.elements.items() if items}

    def count(self, action, kind):
        self.kinds[(action, kind)] = self.kinds.get((action, kind), 0) + 1

    def summary(self) -> str:
        return (
            f"{len(self.created)} créé(s), {len(self.updated)} mis à jour, "
            f"{len(self.unchanged)} inchangé(s), {len(self.removed)} retiré(s), "
            f"{len(self.skipped)} ignoré(s), {len(self.warnings)} avertissement(s)"
        )

    def lines(self) -> list[str]:
        lines = [self.summary()]
        for (action, kind), number in sorted(self.kinds.items()):
            lines.append(f"{kind} : {number} {action}")
        reasons: dict[str, int] = {}
        for _, why in self.skipped:
            reasons[why] = reasons.get(why, 0) + 1
        lines += [f"ignoré ×{n} : {why}" for why, n in sorted(reasons.items()) if n > 1]
        lines += [f"ignoré : {item} — {why}" for item, why in self.skipped]
        for kind, items in sorted(self.elements.items()):
            where = ", ".join(f"{item} ({n})" for item, n in items.items())
            lines.append(f"non repris ×{sum(items.values())} : {kind} — dans {where}")
        lines += [f"avertissement : {item} — {problem}" for item, problem in self.warnings]
        return lines
