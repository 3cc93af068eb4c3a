"""Which replies are a STOP or a START (no database needed)."""

import pytest

from messaging.inbound import is_start, is_stop


@pytest.mark.parametrize("text", [
    "STOP", "stop", "Stop.", "ALTO", "álto", "¡Alto, por favor!", "baja", "BAJA YA", "parar", "Quiero PARAR esto",
    "cancelar", "CANCELÁR", "unsubscribe", "please UNSUBSCRIBE me", "end", "QUIT", "Stopall",
])
def test_stop_words_in_any_case_with_accents_and_other_words(text):
    assert is_stop(text)


@pytest.mark.parametrize("text", ["1", "2", "si", "Sí voy", "no puedo", "see you at the end", "I won't quit", "", "🙂"])
def test_other_replies_are_not_a_stop(text):
    assert not is_stop(text)


@pytest.mark.parametrize("text", ["START", "start", "Inicio", "INICIO", "sí", "SI", "yes"])
def test_start_words_alone(text):
    assert is_start(text)


@pytest.mark.parametrize("text", ["si voy", "start tomorrow?", "1"])
def test_a_start_word_in_a_sentence_is_an_answer_not_an_opt_in(text):
    assert not is_start(text)
