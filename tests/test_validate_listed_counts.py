"""A count the output derives by counting what the source lists, and informal number words."""

from __future__ import annotations

from summarizer.validate import check, read_numbers

SOURCE = (
    "Jacobo coordinated methamphetamine conspiracies across Oklahoma and Missouri, prosecutors said. "
    "Jag nominated Blue and Felicia for eviction, but it was done secretly. "
    "The asteroid circles the sun between Mars and Jupiter every five and half years, Mainzer said. "
    "Ben & Jerry's opened a new shop in the city."
)


def number_errors(text: str) -> list[str]:
    return [f.text for f in check(SOURCE, text).errors() if f.kind == "number"]


def test_a_count_of_the_names_an_aligned_sentence_lists_is_derived() -> None:
    assert number_errors("Jacobo coordinated methamphetamine conspiracies in the two states.") == []
    assert number_errors("Jag secretly nominated two players for eviction.") == []
    [f] = [f for f in check(SOURCE, "Jag nominated two players for eviction.").findings if f.kind == "number"]
    assert f.status == "derived" and "Blue and Felicia" in f.reason
    # A count the list does not give is still flagged.
    assert number_errors("Jag secretly nominated three players for eviction.") == ["three"]
    # "&" joins the words of one name: it lists no two shops.
    assert number_errors("Ben & Jerry's opened two new shops in the city.") == ["two"]


def test_five_and_half_is_five_and_a_half() -> None:
    assert [n.value for n in read_numbers("every five and half years")] == [5.5]
    assert number_errors("The asteroid circles the sun every five and a half years.") == []


def test_a_decade_from_a_year_of_it_or_its_middle() -> None:
    src = "Obama said he remembers going to college in Los Angeles in 1979, when the air was so bad."
    assert number_errors_in(src, "Obama recalled the bad air in Los Angeles in the late 1970s at college.") == []
    assert number_errors_in(src, "Obama recalled the bad air in Los Angeles in the late 1980s at college.") == ["1980s"]
    assert [n.value for n in read_numbers("clashing with Morocco since the mid-1970s")] == [1970.0]
    assert read_numbers("F-16 jets") == []


def number_errors_in(source: str, text: str) -> list[str]:
    return [f.text for f in check(source, text).errors() if f.kind == "number"]
