"""reading.costly: whether a guess would change the class or shut out a measure that could apply, decided by the
engine with and without it. A table: what is known, the guess, and whether it must be asked first."""

import pytest

from reading.costly import costly

RESTAURANT = {"industry": "餐饮业", "employees": 12, "revenue": 1_800_000}

ROWS = [
    # (what it shows, known, fact, value, costly)
    ("not affected: every measure for the affected is shut", RESTAURANT, "affected", False, True),
    ("affected: it opens, it shuts nothing", RESTAURANT, "affected", True, False),
    ("a landlord that is no state firm ends the rent waiver", {**RESTAURANT, "affected": True},
     "rents_soe_property", False, True),
    ("three laid off of twelve ends 稳岗返还, whatever else its clause holds",
     {**RESTAURANT, "affected": True, "insured": True}, "layoffs", 3, True),
    ("none laid off shuts nothing", {**RESTAURANT, "affected": True, "insured": True}, "layoffs", 0, False),
    ("a trade that makes the firm small: the halving for large firms gives way to the exemption of the same clause",
     {"employees": 12, "revenue": 1_800_000}, "industry", "餐饮业", False),
    ("a trade that makes the firm large shuts every SME measure", {"employees": 300, "revenue": 5e8},
     "industry", "批发业", True),
    ("a trade that makes it medium ends the loans for small and micro firms (9)", {"employees": 300, "revenue": 5e8},
     "industry", "工业", True),
    ("a trade with no size known decides nothing", {}, "industry", "批发业", False),
    ("a trade that changes a known class (small to micro)", {"industry": "零售业", "employees": 30, "revenue": 8e6},
     "industry", "批发业", True),
    ("a bank is no SME", {}, "is_financial_institution", True, True),
]


@pytest.mark.parametrize("known, fact, value, expected", [pytest.param(*row[1:], id=row[0]) for row in ROWS])
def test_a_guess_is_costly_when_it_changes_the_class_or_shuts_out_a_measure(policy_store, known, fact, value,
                                                                            expected):
    assert costly(policy_store, known, fact, value) is expected
