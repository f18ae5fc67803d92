import json
from datetime import UTC, datetime

import pytest

from loyalty_core.rules import InvalidRulesError, LoyaltyRules, default_rules


def _doc(**changes: object) -> dict[str, object]:
    data = json.loads(default_rules().to_json())
    data.update(changes)
    return data


def test_default_rules_describe_a_rouble_store_with_three_tiers_and_a_30_percent_cap() -> None:
    rules = default_rules()
    assert rules.currency.code == "RUB"
    assert [t.code for t in rules.tiers.tiers] == ["bronze", "silver", "gold"]
    assert [t.min_spend for t in rules.tiers.tiers] == [0, 1_500_000, 5_000_000]
    assert rules.redemption.cap_bp == 3000


def test_rules_survive_a_json_round_trip_unchanged() -> None:
    rules = default_rules()
    assert LoyaltyRules.from_json(rules.to_json()) == rules


def test_rules_are_frozen() -> None:
    rules = default_rules()
    with pytest.raises(ValueError, match="frozen"):
        rules.version = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("redemption", "cap_bp"), 10_001, "redemption.cap_bp"),
        (("redemption", "cap_bp"), -1, "redemption.cap_bp"),
        (("accrual", "expiry_days"), 10, "accrual"),
        (("tiers", "tiers", 1, "min_spend"), 0, "tiers.tiers"),
        (("tiers", "tiers", 0, "min_spend"), 5, "tiers.tiers"),
        (("currency", "code"), "rub", "currency.code"),
        (("timezone",), "Mars/Olympus", "timezone"),
        (("version",), 0, "version"),
        (("redemption", "cap_bp"), "30%", "redemption.cap_bp"),
        # A lot of 0 days would expire as it activates, and the ledger would refuse it in
        # the middle of the sale.
        (("birthday", "expiry_days"), 0, "birthday.expiry_days"),
        (("first_purchase", "expiry_days"), 0, "first_purchase.expiry_days"),
        (("referral", "expiry_days"), 0, "referral.expiry_days"),
        (("tiers", "window_days"), 0, "tiers.window_days"),
    ],
)
def test_invalid_rules_are_refused_naming_the_field(
    path: tuple[object, ...], value: object, field: str
) -> None:
    data = _doc()
    target: object = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    with pytest.raises(InvalidRulesError) as caught:
        LoyaltyRules.from_json(json.dumps(data))
    assert caught.value.code == "rules.invalid"
    assert caught.value.params["field"].startswith(field)
    assert field in caught.value.message


def test_a_money_amount_written_as_a_float_is_refused() -> None:
    data = _doc()
    data["redemption"]["min_check"] = 100.5  # type: ignore[index]
    with pytest.raises(InvalidRulesError, match=r"redemption\.min_check"):
        LoyaltyRules.from_json(json.dumps(data))


def test_an_unknown_field_is_refused_rather_than_silently_ignored() -> None:
    with pytest.raises(InvalidRulesError, match="cashback_percent"):
        LoyaltyRules.from_dict(_doc(cashback_percent=5))


def test_two_promos_with_the_same_code_are_refused() -> None:
    promo = {"code": "SALE", "kind": "percent", "value": 1000}
    with pytest.raises(InvalidRulesError, match="defined twice"):
        LoyaltyRules.from_dict(_doc(promos=[promo, {**promo, "code": "sale"}]))


def test_a_promo_window_without_time_zone_is_refused() -> None:
    promo = {"code": "SALE", "kind": "percent", "value": 1000, "valid_from": "2024-01-01T00:00:00"}
    with pytest.raises(InvalidRulesError, match=r"promos\.0\.valid_from"):
        LoyaltyRules.from_dict(_doc(promos=[promo]))


def test_a_percent_promo_above_100_percent_is_refused() -> None:
    promo = {"code": "SALE", "kind": "percent", "value": 12_000}
    with pytest.raises(InvalidRulesError, match="basis points"):
        LoyaltyRules.from_dict(_doc(promos=[promo]))


def test_tier_for_spend_picks_the_highest_tier_reached() -> None:
    tiers = default_rules().tiers
    assert tiers.tier_for(0).code == "bronze"
    assert tiers.tier_for(1_499_999).code == "bronze"
    assert tiers.tier_for(1_500_000).code == "silver"
    assert tiers.tier_for(9_999_999).code == "gold"


def test_days_count_in_the_store_time_zone() -> None:
    rules = default_rules()  # Europe/Moscow, UTC+3
    # 22:30 UTC on 1 March is already 2 March in Moscow: 14 days later is 16 March, 00:00 MSK.
    moment = datetime(2024, 3, 1, 22, 30, tzinfo=UTC)
    assert rules.day_start_after(moment, 14) == datetime(2024, 3, 15, 21, 0, tzinfo=UTC)
