"""World regions (UN M49 sub-regions, as WPP 2019 files countries) for the dashboard's region
filter, with their names as interface text so each language has them."""

from django.utils.translation import gettext_lazy as _

from globaldialogue.weighting.population import world_population

NAMES = {
    "Australia and New Zealand": _("Australia and New Zealand"),
    "Caribbean": _("Caribbean"),
    "Central America": _("Central America"),
    "Central Asia": _("Central Asia"),
    "Eastern Africa": _("Eastern Africa"),
    "Eastern Asia": _("Eastern Asia"),
    "Eastern Europe": _("Eastern Europe"),
    "Melanesia": _("Melanesia"),
    "Micronesia": _("Micronesia"),
    "Middle Africa": _("Middle Africa"),
    "Northern Africa": _("Northern Africa"),
    "Northern America": _("Northern America"),
    "Northern Europe": _("Northern Europe"),
    "Polynesia": _("Polynesia"),
    "South America": _("South America"),
    "South-Eastern Asia": _("South-Eastern Asia"),
    "Southern Africa": _("Southern Africa"),
    "Southern Asia": _("Southern Asia"),
    "Southern Europe": _("Southern Europe"),
    "Western Africa": _("Western Africa"),
    "Western Asia": _("Western Asia"),
    "Western Europe": _("Western Europe"),
}


def region_of(country: str) -> str:
    """The region's key (its English name), "" when unknown."""
    return world_population().regions.get(country, "")


def countries_in(region: str) -> list[str]:
    return [code for code, name in world_population().regions.items() if name == region]


def region_name(region: str) -> str:
    return str(NAMES.get(region, region))
