"""Finding a product by the words of its name (the demo catalogue's 30 products)."""

from __future__ import annotations

from loyalty_core.catalog import Product
from pos_client.bootstrap import Till
from pos_client.services.messages import CartItem, CheckoutRequest


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


def test_the_quick_items_are_the_best_sellers_then_the_catalogue_by_name(
    seeded_till: Till,
) -> None:
    sv = seeded_till.services
    # A new till has sold nothing: the catalogue's first eight by name.
    first = [p.name for p in sv.popular_products()]
    assert first == sorted(first, key=str.casefold)[:8] and len(first) == 8
    staff = sv.staff_list()[0].id
    tea = sv.product("4600000000145")  # Чай чёрный, last by name among these
    milk = sv.product("4600000000015")

    def sell(*products: Product) -> None:
        items = tuple(CartItem(p.id, p.name, p.price) for p in products)
        sv.checkout(CheckoutRequest(items, staff))

    sell(tea, milk)
    sell(tea)
    popular = sv.popular_products()
    assert [p.name for p in popular[:2]] == [tea.name, milk.name]  # two receipts, then one
    assert popular[0].barcode == tea.barcode and popular[0].price == tea.price
    assert len(popular) == 8 and len({p.id for p in popular}) == 8  # padded, no repeats
