"""Counting SMS segments: 160 GSM-7 characters fit one, 70 once a single
character outside GSM-7 (á, í, ó, ú) turns the text into UCS-2, and parts
of a longer text hold 153 or 67."""

from messaging.segments import GSM7, UCS2, sms_segments


def test_an_empty_text_is_no_segment():
    count = sms_segments("")
    assert (count.encoding, count.characters, count.segments) == (GSM7, 0, 0)


def test_160_plain_characters_fit_one_segment_and_161_take_two():
    assert sms_segments("a" * 160).segments == 1
    count = sms_segments("a" * 161)
    assert count.segments == 2 and count.per_segment == 153


def test_concatenated_gsm_parts_hold_153_characters():
    assert sms_segments("a" * 306).segments == 2
    assert sms_segments("a" * 307).segments == 3


def test_spanish_letters_of_the_gsm_alphabet_keep_it_gsm():
    count = sms_segments("¿Qué pasó? ¡Niños! é ñ ü Ñ É à ¿¡")
    assert count.encoding == UCS2  # ó is not GSM-7
    count = sms_segments("¿Qué tal? ¡Niños! é ñ ü Ñ É à")
    assert count.encoding == GSM7 and count.non_gsm_characters == ()


def test_one_accented_vowel_cuts_a_segment_to_70_characters():
    count = sms_segments("a" * 69 + "á")
    assert (count.encoding, count.segments, count.per_segment) == (UCS2, 1, 70)
    assert count.non_gsm_characters == ("á",)
    count = sms_segments("a" * 70 + "í")
    assert (count.segments, count.per_segment) == (2, 67)


def test_concatenated_ucs2_parts_hold_67_units():
    assert sms_segments("ú" * 134).segments == 2
    assert sms_segments("ú" * 135).segments == 3


def test_the_characters_that_force_ucs2_are_named_once_in_order():
    count = sms_segments("La sesión del sábado, aquí: sí, sí")
    assert count.non_gsm_characters == ("ó", "á", "í")


def test_extension_characters_count_twice():
    count = sms_segments("€" * 80)
    assert (count.encoding, count.characters, count.units, count.segments) == (GSM7, 80, 160, 1)
    assert sms_segments("€" * 81).segments == 2


def test_an_escaped_character_never_straddles_two_parts():
    # 152 plain characters leave one septet in the first part: the euro's
    # two septets move whole to the second.
    count = sms_segments("a" * 152 + "€" + "a" * 10)
    assert count.units == 164 and count.segments == 2
    count = sms_segments("a" * 152 + "€" + "a" * 152)
    assert count.units == 306 and count.segments == 3


def test_an_emoji_takes_two_units_and_is_not_split():
    count = sms_segments("✊🏽")
    assert count.encoding == UCS2 and count.units == 3
    count = sms_segments("a" * 66 + "🙂" + "a" * 10)
    assert count.units == 78 and count.segments == 2
    assert sms_segments("a" * 66 + "🙂" + "a" * 66).segments == 3


def test_newlines_are_gsm_characters():
    assert sms_segments("Hola\nvecino").encoding == GSM7
