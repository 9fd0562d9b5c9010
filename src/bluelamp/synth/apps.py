from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "bluelamp.synth"
    label = "synth"
    verbose_name = "Synthetic force"
