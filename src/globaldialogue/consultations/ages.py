"""The age groups people choose among, the same everywhere in a consultation: its survey's
age question, dialogue sign-ups, breakdowns and weighting (keys "16_30" are years 16 to 30).
The platform's (the UN75 survey's) unless a consultation sets its own
(Consultation.age_bands)."""

from typing import Any

AGE_BANDS: list[dict[str, Any]] = [
    {
        "key": "under_16",
        "label": {
            "en": "Under 16",
            "fr": "Moins de 16 ans",
            "es": "Menos de 16",
            "ru": "Младше 16",
            "zh-hans": "16岁以下",
            "ar": "أقل من 16",
        },
    },
    {
        "key": "16_30",
        "label": {
            "en": "16–30",
            "fr": "16–30 ans",
            "es": "16–30",
            "ru": "16–30",
            "zh-hans": "16–30岁",
            "ar": "16–30",
        },
    },
    {
        "key": "31_45",
        "label": {
            "en": "31–45",
            "fr": "31–45 ans",
            "es": "31–45",
            "ru": "31–45",
            "zh-hans": "31–45岁",
            "ar": "31–45",
        },
    },
    {
        "key": "46_60",
        "label": {
            "en": "46–60",
            "fr": "46–60 ans",
            "es": "46–60",
            "ru": "46–60",
            "zh-hans": "46–60岁",
            "ar": "46–60",
        },
    },
    {
        "key": "61_75",
        "label": {
            "en": "61–75",
            "fr": "61–75 ans",
            "es": "61–75",
            "ru": "61–75",
            "zh-hans": "61–75岁",
            "ar": "61–75",
        },
    },
    {
        "key": "over_75",
        "label": {
            "en": "Over 75",
            "fr": "Plus de 75 ans",
            "es": "Más de 75",
            "ru": "Старше 75",
            "zh-hans": "75岁以上",
            "ar": "أكثر من 75",
        },
    },
]
