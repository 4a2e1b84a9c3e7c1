"""Money is whole kroner in Decimal, shown the Norwegian way: "kr 60 000"."""

from decimal import Decimal

NBSP = "\u00a0"


def format_nok(value, prefix: bool = True) -> str:
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1))
    sign = "−" if amount < 0 else ""
    grouped = f"{abs(amount):,.0f}".replace(",", NBSP)
    return f"kr{NBSP}{sign}{grouped}" if prefix else f"{sign}{grouped}"
