"""Spanish as this campaign's neighbors read it: 12-hour times.

Django's Spanish formats write 18:30; in South Philadelphia people read
"6:30 p. m." (the "p. m." itself comes from our catalog, which overrides
Django's "p.m."). Names not set here fall back to Django's Spanish formats.
"""

TIME_FORMAT = "g:i a"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
SHORT_DATETIME_FORMAT = "d/m/Y g:i a"
