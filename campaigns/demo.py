"""Demo organisations and contacts: the regional palliative-care networks, some municipalities and welfare organisations.

Network names use real Dutch regions; every person is invented and has an
example.org address. Objects are looked up by name or e-mail before they are
made and existing ones are left alone, so a second run changes nothing.
"""

from collections import Counter

from django.db import transaction
from django.utils.text import slugify

from campaigns.models import Contact, Organisation

Region = Organisation.Region
Kind = Organisation.Kind

# (region of the network, province)
NETWORK_REGIONS = [
    ("Stad Groningen", Region.GRONINGEN),
    ("Oost-Groningen", Region.GRONINGEN),
    ("Noord-Groningen", Region.GRONINGEN),
    ("Westerkwartier", Region.GRONINGEN),
    ("Leeuwarden", Region.FRIESLAND),
    ("Súdwest-Fryslân", Region.FRIESLAND),
    ("Zuidoost-Friesland", Region.FRIESLAND),
    ("Noordoost-Friesland", Region.FRIESLAND),
    ("Noord-Drenthe", Region.DRENTHE),
    ("Zuidwest-Drenthe", Region.DRENTHE),
    ("Zuidoost-Drenthe", Region.DRENTHE),
    ("Zwolle", Region.OVERIJSSEL),
    ("Deventer", Region.OVERIJSSEL),
    ("Salland", Region.OVERIJSSEL),
    ("Midden-Twente", Region.OVERIJSSEL),
    ("Noordwest-Twente", Region.OVERIJSSEL),
    ("Zuid-Twente", Region.OVERIJSSEL),
    ("Almere", Region.FLEVOLAND),
    ("Lelystad en Noordoostpolder", Region.FLEVOLAND),
    ("Arnhem", Region.GELDERLAND),
    ("Nijmegen", Region.GELDERLAND),
    ("Oost-Achterhoek", Region.GELDERLAND),
    ("West-Achterhoek", Region.GELDERLAND),
    ("Gelderse Vallei", Region.GELDERLAND),
    ("Apeldoorn en Zutphen", Region.GELDERLAND),
    ("Rivierenland", Region.GELDERLAND),
    ("Noord-Veluwe", Region.GELDERLAND),
    ("De Liemers", Region.GELDERLAND),
    ("Stad Utrecht", Region.UTRECHT),
    ("Eemland", Region.UTRECHT),
    ("Zuidoost-Utrecht", Region.UTRECHT),
    ("Utrecht-West", Region.UTRECHT),
    ("Utrechtse Heuvelrug", Region.UTRECHT),
    ("Amsterdam-Amstelland", Region.NOORD_HOLLAND),
    ("Zaanstreek-Waterland", Region.NOORD_HOLLAND),
    ("Kennemerland", Region.NOORD_HOLLAND),
    ("Noord-Holland Noord", Region.NOORD_HOLLAND),
    ("West-Friesland", Region.NOORD_HOLLAND),
    ("Gooi en Vechtstreek", Region.NOORD_HOLLAND),
    ("Amstelveen", Region.NOORD_HOLLAND),
    ("Haarlemmermeer", Region.NOORD_HOLLAND),
    ("Rotterdam", Region.ZUID_HOLLAND),
    ("Den Haag", Region.ZUID_HOLLAND),
    ("Delft en Westland", Region.ZUID_HOLLAND),
    ("Leiden", Region.ZUID_HOLLAND),
    ("Drechtsteden", Region.ZUID_HOLLAND),
    ("Midden-Holland", Region.ZUID_HOLLAND),
    ("Zuid-Hollandse Eilanden", Region.ZUID_HOLLAND),
    ("Alphen en Rijnstreek", Region.ZUID_HOLLAND),
    ("Nieuwe Waterweg Noord", Region.ZUID_HOLLAND),
    ("Zoetermeer", Region.ZUID_HOLLAND),
    ("Walcheren en Oosterschelde", Region.ZEELAND),
    ("Zeeuws-Vlaanderen", Region.ZEELAND),
    ("Breda", Region.NOORD_BRABANT),
    ("Midden-Brabant", Region.NOORD_BRABANT),
    ("'s-Hertogenbosch", Region.NOORD_BRABANT),
    ("Eindhoven", Region.NOORD_BRABANT),
    ("Helmond en de Peel", Region.NOORD_BRABANT),
    ("Noordoost-Brabant", Region.NOORD_BRABANT),
    ("West-Brabant", Region.NOORD_BRABANT),
    ("De Kempen", Region.NOORD_BRABANT),
    ("Noord-Limburg", Region.LIMBURG),
    ("Midden-Limburg", Region.LIMBURG),
    ("Parkstad", Region.LIMBURG),
    ("Maastricht en Heuvelland", Region.LIMBURG),
]

FIRST_NAMES = [
    "Anouk", "Bram", "Carolien", "Daan", "Els", "Frank", "Gerdien", "Hans", "Ilse", "Joost", "Karin",
    "Lotte", "Maarten", "Nicole", "Olaf", "Petra", "Quinten", "Renske", "Sander", "Tineke", "Ursula",
    "Vincent", "Wendy", "Yvonne", "Zeger",
]  # fmt: skip
LAST_NAMES = [
    "Aalbers", "Bosman", "Claassen", "Dekker", "Evers", "Fransen", "Groenveld", "Hofstra", "IJzerman",
    "Jonker", "Kuipers", "Lammers", "Mulder", "Noordhuis", "Oosterbeek", "Postma", "Roelofs", "Schouten",
    "Timmerman", "Veenstra", "Wolters", "Zijlstra",
]  # fmt: skip

# organisation -> (kind, region, [(name, role, tags)])
OTHER_ORGANISATIONS = {
    "Gemeente Zwolle": (
        Kind.MUNICIPALITY, Region.OVERIJSSEL, [("Mirjam Hendriksen", "Beleidsadviseur Wmo", ["gemeenten", "sociaal domein"])]
    ),
    "Gemeente Tilburg": (
        Kind.MUNICIPALITY, Region.NOORD_BRABANT, [("Ruud van Leeuwen", "Beleidsmedewerker ouderen", ["gemeenten", "ouderenzorg"])],
    ),
    "Gemeente Leeuwarden": (
        Kind.MUNICIPALITY, Region.FRIESLAND, [("Sietske Algra", "Adviseur sociaal domein", ["gemeenten", "sociaal domein"])]
    ),
    "Gemeente Maastricht": (
        Kind.MUNICIPALITY, Region.LIMBURG, [("Jeroen Smeets", "Beleidsadviseur mantelzorg", ["gemeenten", "mantelzorg"])]
    ),
    "Welzijn De Verbinding": (
        Kind.WELFARE,
        Region.UTRECHT,
        [
            ("Fatima el Amrani", "Coördinator mantelzorgondersteuning", ["mantelzorg"]),
            ("Kees Brouwer", "Opbouwwerker", ["sociaal domein"]),
        ],
    ),
    "Stichting Samen Oud in de Wijk": (
        Kind.WELFARE, Region.ZUID_HOLLAND, [("Ingrid Verhoef", "Consulent ouderenwerk", ["ouderenzorg", "mantelzorg"])]
    ),
    "Welzijnswerk Rivierenland": (
        Kind.WELFARE, Region.GELDERLAND, [("Tom Hermsen", "Coördinator vrijwilligers", ["sociaal domein"])]
    ),
}  # fmt: skip

NETWORK_TAGS = ["geestelijke verzorging"]


def network_coordinator(index):
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
    return f"{first} {last}"


def email_for(name):
    return f"{slugify(name).replace('-', '.')}@example.org"


class ContactSeeder:
    def __init__(self):
        self.created = Counter()

    def organisation(self, name, kind, region):
        organisation, created = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "region": region})
        self.created["organisations"] += created
        return organisation

    def contact(self, name, role, organisation, tags):
        email = email_for(name)
        if Contact.objects.filter(email=email).exists():
            return
        contact = Contact.objects.create(name=name, email=email, role=role, organisation=organisation)
        contact.tags.add(*tags)
        self.created["contacts"] += 1

    def run(self):
        with transaction.atomic():
            for index, (region_name, province) in enumerate(NETWORK_REGIONS):
                network = self.organisation(f"Netwerk Palliatieve Zorg {region_name}", Kind.NETWORK, province)
                self.contact(network_coordinator(index), "Netwerkcoördinator", network, NETWORK_TAGS)
            for name, (kind, region, people) in OTHER_ORGANISATIONS.items():
                organisation = self.organisation(name, kind, region)
                for person, role, tags in people:
                    self.contact(person, role, organisation, tags)
        return +self.created


def seed_contacts():
    """Create the demo organisations and contacts where missing; returns what was created, counted by kind."""
    return ContactSeeder().run()
