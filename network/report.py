from dataclasses import dataclass, field


@dataclass
class Report:
    """What a bootstrap or seed run created (empty on a re-run), and the demo accounts."""

    created: list[str] = field(default_factory=list)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)
