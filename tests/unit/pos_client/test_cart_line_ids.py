"""A cart line keeps the id it got when it entered the cart, whatever happens to the others."""

from __future__ import annotations

from dataclasses import replace

from loyalty_core.catalog import Product
from pos_client.services.messages import CartItem
from pos_client.ui.checkout.cart import Cart

MILK = Product(id="p-milk", barcode="4600000000015", name="Молоко", price=8_990)
KEFIR = Product(id="p-kefir", barcode="4600000000022", name="Кефир", price=7_490)
BEANS = Product(id="p-beans", barcode="4600000000091", name="Кофе", price=149_900)


def test_removing_a_line_from_the_middle_renumbers_nothing() -> None:
    cart = Cart()
    for product in (MILK, KEFIR, BEANS):
        cart.add_product(product)
    milk, kefir, beans = (item.line_id for item in cart.items())
    assert len({milk, kefir, beans}) == 3
    cart.remove(1)
    assert [item.line_id for item in cart.items()] == [milk, beans]
    cart.add_free_price("Пакет", 500)
    assert [item.line_id for item in cart.items()][:2] == [milk, beans]
    assert kefir not in {item.line_id for item in cart.items()}


def test_a_line_keeps_its_id_through_quantity_changes_and_rescans() -> None:
    cart = Cart()
    cart.add_product(MILK)
    (before,) = cart.items()
    cart.add_product(MILK)  # the same barcode: one more piece on the same line
    cart.change_pieces(0, +3)
    cart.change_pieces(0, -1)
    (after,) = cart.items()
    assert (after.line_id, after.quantity_milli) == (before.line_id, 4_000)
    assert cart.items() == cart.items()  # asking again makes no new ids


def test_a_cart_item_gets_its_own_id_unless_given_and_keeps_it_when_replaced() -> None:
    a, b = CartItem("a", "Чай", 100), CartItem("a", "Чай", 100)
    assert a.line_id != b.line_id
    assert replace(a, quantity_milli=2_000).line_id == a.line_id
    assert CartItem("a", "Чай", 100, line_id="7").line_id == "7"
