"""Keyboard-wedge scans told from typing, with timestamps written out by hand (default settings:
30 ms max gap, 4 characters at least, Enter or Tab ends a scan)."""

from __future__ import annotations

import pytest

from hardware import (
    KeyStroke,
    Scan,
    ScanSource,
    Suffix,
    Typing,
    WedgeClassifier,
    WedgeScanner,
    WedgeSettings,
)

ENTER, TAB = Suffix.ENTER, Suffix.TAB


def feed_all(
    classifier: WedgeClassifier, keys: list[tuple[str | Suffix, int]]
) -> list[Scan | Typing]:
    """Every decision the keys produce, in order."""
    decisions = []
    for key, at_ms in keys:
        decision = classifier.feed(key, at_ms)
        if decision is not None:
            decisions.append(decision)
    return decisions


def replayed(decisions: list[Scan | Typing]) -> list[str | Suffix]:
    return [stroke.key for d in decisions if isinstance(d, Typing) for stroke in d.keys]


def test_keys_5_ms_apart_ended_by_enter_are_a_scan() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("4", 1000),
        ("6", 1005),
        ("0", 1010),
        ("7", 1015),
        ("1", 1020),
        ("2", 1025),
        (ENTER, 1030),
    ]
    assert feed_all(classifier, keys) == [Scan("460712")]
    assert classifier.held == ()
    assert classifier.flush() is None


def test_keys_are_held_until_the_burst_is_decided() -> None:
    classifier = WedgeClassifier()
    assert classifier.feed("1", 1000) is None
    assert classifier.feed("2", 1005) is None
    assert classifier.held == (KeyStroke("1", 1000), KeyStroke("2", 1005))
    assert classifier.typing_deadline_ms == 1035


def test_keys_120_ms_apart_are_typing_replayed_in_order() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("4", 0),
        ("6", 120),
        ("0", 240),
        ("7", 360),
        (ENTER, 480),
    ]
    decisions = feed_all(classifier, keys)
    assert all(isinstance(d, Typing) for d in decisions)
    assert replayed(decisions) == ["4", "6", "0", "7", ENTER]
    assert decisions[0] == Typing((KeyStroke("4", 0),))  # given back as soon as "6" shows the pace
    assert decisions[-1] == Typing((KeyStroke("7", 360), KeyStroke(ENTER, 480)))


def test_a_timer_gives_back_a_lone_typed_key_once_the_gap_has_passed() -> None:
    classifier = WedgeClassifier()
    assert classifier.feed("a", 0) is None
    assert classifier.typing_deadline_ms == 30
    assert classifier.expire(30) is None  # exactly the max gap: a scanner's next key may come now
    assert classifier.expire(31) == Typing((KeyStroke("a", 0),))
    assert classifier.expire(60) is None
    assert classifier.typing_deadline_ms is None


def test_expire_before_the_last_key_means_another_clock_and_gives_the_keys_back() -> None:
    classifier = WedgeClassifier()
    classifier.feed("a", 5000)
    assert classifier.expire(10) == Typing((KeyStroke("a", 5000),))


def test_a_person_types_then_a_scan_comes() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("п", 0),
        ("р", 150),
        ("и", 290),
        ("2", 900),  # the scanner starts 610 ms after the last typed key
        ("0", 908),
        ("0", 916),
        ("0", 924),
        ("1", 932),
        (ENTER, 940),
    ]
    decisions = feed_all(classifier, keys)
    assert replayed(decisions) == ["п", "р", "и"]
    assert decisions[-1] == Scan("20001")
    assert len(decisions) == 4  # п, р, и given back one by one, then the scan


def test_a_scan_then_a_person_types() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("1", 0),
        ("2", 4),
        ("3", 8),
        ("4", 12),
        (TAB, 16),
        ("x", 400),
        ("y", 530),
    ]
    decisions = feed_all(classifier, keys)
    assert decisions == [Scan("1234"), Typing((KeyStroke("x", 400),))]
    assert classifier.held == (KeyStroke("y", 530),)


def test_a_fast_burst_shorter_than_the_minimum_is_typing() -> None:
    classifier = WedgeClassifier()
    decisions = feed_all(classifier, [("1", 0), ("2", 5), ("3", 10), (ENTER, 15)])
    assert decisions == [
        Typing((KeyStroke("1", 0), KeyStroke("2", 5), KeyStroke("3", 10), KeyStroke(ENTER, 15)))
    ]


def test_exactly_the_minimum_length_is_a_scan() -> None:
    classifier = WedgeClassifier()
    assert feed_all(classifier, [("1", 0), ("2", 5), ("3", 10), ("4", 15), (ENTER, 20)]) == [
        Scan("1234")
    ]


def test_tab_ends_a_scan() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [("A", 0), ("B", 6), ("-", 12), ("7", 18), (TAB, 24)]
    assert feed_all(classifier, keys) == [Scan("AB-7")]


def test_tab_is_typing_when_only_enter_ends_a_scan() -> None:
    classifier = WedgeClassifier(WedgeSettings(suffixes=frozenset({ENTER})))
    keys: list[tuple[str | Suffix, int]] = [("A", 0), ("B", 6), ("C", 12), ("D", 18), (TAB, 24)]
    assert replayed(feed_all(classifier, keys)) == ["A", "B", "C", "D", TAB]


def test_gaps_of_exactly_30_ms_are_scanner_speed() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("1", 100),
        ("2", 130),
        ("3", 160),
        ("4", 190),
        (ENTER, 220),
    ]
    assert feed_all(classifier, keys) == [Scan("1234")]


def test_one_gap_of_31_ms_between_keys_is_typing() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("1", 100),
        ("2", 130),
        ("3", 161),  # 31 ms after "2"
        ("4", 191),
        ("5", 221),
        (ENTER, 251),
    ]
    decisions = feed_all(classifier, keys)
    assert decisions[0] == Typing((KeyStroke("1", 100), KeyStroke("2", 130)))
    assert len(decisions) == 2  # "345" after the break is too short for a scan
    assert replayed(decisions) == ["1", "2", "3", "4", "5", ENTER]


def test_a_suffix_31_ms_after_the_last_key_is_typing() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("1", 100),
        ("2", 130),
        ("3", 160),
        ("4", 190),
        (ENTER, 221),
    ]
    assert replayed(feed_all(classifier, keys)) == ["1", "2", "3", "4", ENTER]


def test_a_lone_enter_goes_straight_through() -> None:
    classifier = WedgeClassifier()
    assert classifier.feed(ENTER, 50) == Typing((KeyStroke(ENTER, 50),))


def test_a_timestamp_going_back_breaks_the_burst() -> None:
    classifier = WedgeClassifier()
    keys: list[tuple[str | Suffix, int]] = [
        ("1", 100),
        ("2", 105),
        ("3", 95),
        ("4", 100),
        ("5", 105),
        ("6", 110),
        (ENTER, 115),
    ]
    decisions = feed_all(classifier, keys)
    assert decisions == [Typing((KeyStroke("1", 100), KeyStroke("2", 105))), Scan("3456")]


def test_the_tail_of_a_flushed_burst_never_passes_for_a_shorter_scan() -> None:
    # The event filter's timer fired (or another key came) in the middle of a scan: "1" and "2"
    # went to the field, so "34567" with Enter, still at scanner speed, must not be a wrong scan.
    classifier = WedgeClassifier()
    classifier.feed("1", 0)
    classifier.feed("2", 5)
    assert classifier.flush() == Typing((KeyStroke("1", 0), KeyStroke("2", 5)))
    keys: list[tuple[str | Suffix, int]] = [
        ("3", 10),
        ("4", 15),
        ("5", 20),
        ("6", 25),
        ("7", 30),
        (ENTER, 35),
    ]
    decisions = feed_all(classifier, keys)
    assert decisions == [Typing((KeyStroke(key, at),)) for key, at in keys]


def test_after_a_pause_following_a_flush_a_new_scan_counts_again() -> None:
    classifier = WedgeClassifier()
    classifier.feed("1", 0)
    classifier.flush()
    keys: list[tuple[str | Suffix, int]] = [("5", 31), ("6", 36), ("7", 41), ("8", 46), (ENTER, 51)]
    assert feed_all(classifier, keys) == [Scan("5678")]


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="max_gap_ms"):
        WedgeSettings(max_gap_ms=0)
    with pytest.raises(ValueError, match="min_length"):
        WedgeSettings(min_length=0)
    with pytest.raises(ValueError, match="suffix"):
        WedgeSettings(suffixes=frozenset())
    with pytest.raises(ValueError, match="text"):
        WedgeClassifier().feed("", 0)


def test_wider_settings_take_a_slower_scanner() -> None:
    classifier = WedgeClassifier(WedgeSettings(max_gap_ms=50, min_length=2))
    assert feed_all(classifier, [("7", 0), ("7", 50), (ENTER, 100)]) == [Scan("77")]


def test_the_wedge_scanner_sends_scans_to_its_callback_and_gives_back_typing() -> None:
    scans: list[str] = []
    wedge = WedgeScanner()
    source: ScanSource = wedge
    source.start(scans.append)

    typed = [wedge.feed("h", 0), wedge.feed("i", 200), wedge.expire(400)]
    for key, at_ms in [("9", 1000), ("8", 1004), ("7", 1008), ("6", 1012)]:
        assert wedge.feed(key, at_ms) == ()
    assert wedge.feed(ENTER, 1016) == ()

    assert typed == [(), (KeyStroke("h", 0),), (KeyStroke("i", 200),)]
    assert scans == ["9876"]


def test_a_stopped_wedge_scanner_gives_every_key_back_at_once() -> None:
    scans: list[str] = []
    wedge = WedgeScanner()
    wedge.start(scans.append)
    wedge.feed("1", 0)
    source: ScanSource = wedge
    source.stop()
    assert not wedge.running
    assert wedge.feed("2", 3) == (KeyStroke("1", 0), KeyStroke("2", 3))
    keys: list[tuple[str | Suffix, int]] = [("3", 6), ("4", 9), ("5", 12), (ENTER, 15)]
    for key, at_ms in keys:
        assert wedge.feed(key, at_ms) == (KeyStroke(key, at_ms),)
    assert scans == []
