"""The training pages: public ones (public.py) and the trainer's (trainer.py,
with the cached roster list in roster.py)."""
