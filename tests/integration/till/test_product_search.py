"""Finding a product by the words of its name (the demo catalogue's 30 products)."""

from __future__ import annotations

from pos_client.bootstrap import Till


def _names(till: Till, text: str) -> list[str]:
    return [p.name for p in till.services.search_products(text)]


def test_every_word_typed_must_be_in_the_name_in_any_case_and_order(seeded_till: Till) -> None:
    assert _names(seeded_till, "кофе") == ["Кофе в зёрнах 1 кг", "Кофе молотый 250 г"]
    assert _names(seeded_till, "МОЛОТ коф") == ["Кофе молотый 250 г"]
    assert _names(seeded_till, "кофе чай") == []


def test_names_starting_with_the_first_word_come_first_then_the_rest_by_name(
    seeded_till: Till,
) -> None:
    assert _names(seeded_till, "мол") == [
        "Молоко 3,2% 1 л",  # starts with it
        "Кофе молотый 250 г",  # holds it, by name
        "Шоколад молочный 90 г",
    ]


def test_nothing_typed_finds_nothing_and_a_match_carries_its_barcode_and_price(
    seeded_till: Till,
) -> None:
    assert seeded_till.services.search_products("   ") == []
    (bread,) = seeded_till.services.search_products("бородинский")
    assert (bread.barcode, bread.price) == ("4600000000060", 5_490)
