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

    def skip(self, item, why):
        self.skipped.append((str(item), str(why)))

    def warn(self, item, problem):
        self.warnings.append((str(item), str(problem)))

    def summary(self) -> str:
        return (
            f"{len(self.created)} créé(s), {len(self.updated)} mis à jour, "
            f"{len(self.unchanged)} inchangé(s), {len(self.removed)} retiré(s), "
            f"{len(self.skipped)} ignoré(s), {len(self.warnings)} avertissement(s)"
        )

    def lines(self) -> list[str]:
        lines = [self.summary()]
        lines += [f"ignoré : {item} — {why}" for item, why in self.skipped]
        lines += [f"avertissement : {item} — {problem}" for item, problem in self.warnings]
        return lines
