"""The demo site's texts, as plain data.

Everyone and every place here is invented; addresses use example.org and
phone numbers are obviously fictional. Page bodies are lists of small tuples
that ``cms.demo.builder`` turns into StreamField blocks:

* ``("heading", text)`` or ``("heading", text, "h3")``
* ``("paragraph", html)``
* ``("quote", quote, attribution)``
* ``("image", image_title, alt_text, caption)``
* ``("document", document_title, link_text)``
* ``("call_to_action", button_text, page_slug)``
"""

SITE_NAME = "Zorg en Welzijn"

HOME_INTRO = (
    "Het Landelijk Steunpunt Zorg en Welzijn helpt netwerken palliatieve zorg, gemeenten en "
    "welzijnsorganisaties om samen te werken rond mensen in de laatste fase van hun leven, thuis en in de wijk."
)

ARTICLE_INDEX_INTRO = "Verhalen, achtergronden en goede voorbeelden over de samenwerking tussen zorg en welzijn."
CALL_INDEX_INTRO = "Hier vragen we netwerken, gemeenten en welzijnsorganisaties om hun ervaringen en initiatieven te delen."

CONTACT_PERSONS = [
    {
        "name": "Marieke van Dalen",
        "role": "Adviseur zorg en welzijn",
        "email": "marieke.vandalen@example.org",
        "phone": "+31 30 000 00 01",
    },
    {
        "name": "Joost Verhoeven",
        "role": "Beleidsadviseur palliatieve zorg",
        "email": "joost.verhoeven@example.org",
        "phone": "+31 30 000 00 02",
    },
    {
        "name": "Samira El Amrani",
        "role": "Projectleider pilots gemeenten",
        "email": "samira.elamrani@example.org",
        "phone": "+31 30 000 00 03",
    },
]

# Image title -> (colour, label on the image).
IMAGES = {
    "Persona Piet en Ria": ("#7b3f61", "Piet en Ria"),
    "Persona Gerard en Lies": ("#2f6f73", "Gerard en Lies"),
    "Persona Esther en Kees": ("#8a5a14", "Esther en Kees"),
    "Keukentafelgesprek in de wijk": ("#2b6cb0", "Keukentafelgesprek"),
    "Wijkteam en netwerk aan één tafel": ("#276749", "Aan één tafel"),
    "Geestelijke verzorging thuis": ("#553c9a", "Zingeving thuis"),
    "Ouderen in gesprek": ("#9c4221", "Ouderenzorg"),
    "Pilot Lindendal": ("#2c5282", "Pilot Lindendal"),
    "Mantelzorger met kop koffie": ("#744210", "Mantelzorg"),
    "Mantelzorgmonologen op het podium": ("#702459", "Mantelzorgmonologen"),
}

PERSONAS = [
    {
        "name": "Piet en Ria",
        "condition": "Parkinson",
        "image": "Persona Piet en Ria",
        "summary": (
            "Piet (76) heeft al twaalf jaar de ziekte van Parkinson. Ria (73) zorgt voor hem, steeds vaker "
            "ook 's nachts. Hun kinderen wonen ver weg. Wie helpt Ria om het vol te houden, en wanneer "
            "praten ze over de laatste fase?"
        ),
        "pdf_lines": [
            "Piet is 76 en heeft al twaalf jaar de ziekte van Parkinson. Lopen gaat moeizaam, praten kost",
            "hem moeite en hij is de laatste tijd twee keer gevallen.",
            "Ria is 73 en zorgt dag en nacht voor hem. Ze slaapt slecht en ziet haar vriendinnen nauwelijks nog.",
            "Hun zoon woont in het buitenland, hun dochter werkt fulltime en woont een uur rijden verderop.",
            "",
            "Vragen om samen over te praten:",
            "- Wie in de wijk weet dat Ria het zwaar heeft? Kent de huisarts het wijkteam?",
            "- Welke ondersteuning biedt de gemeente via de Wmo, zoals respijtzorg of dagbesteding?",
            "- Wanneer en met wie bespreken Piet en Ria hun wensen voor de laatste levensfase?",
        ],
    },
    {
        "name": "Gerard en Lies",
        "condition": "COPD",
        "image": "Persona Gerard en Lies",
        "summary": (
            "Gerard (68) heeft ernstige COPD en is snel benauwd. Hij komt de trap niet meer op en durft "
            "nauwelijks nog naar buiten. Lies (66) werkt nog twee dagen per week. Hun wereld wordt kleiner."
        ),
        "pdf_lines": [
            "Gerard is 68 en heeft ernstige COPD. Hij is snel benauwd en ligt 's winters vaak in het ziekenhuis.",
            "Hij slaapt inmiddels beneden, omdat de trap niet meer gaat.",
            "Lies is 66 en werkt nog twee dagen per week in een bibliotheek. Ze maakt zich zorgen over geld",
            "en over wat er gebeurt als Gerard weer een longaanval krijgt terwijl zij op haar werk is.",
            "",
            "Vragen om samen over te praten:",
            "- Hoe voorkomen we dat Gerard en Lies eenzaam worden nu hun wereld kleiner wordt?",
            "- Kan een vrijwilliger of buurtgenoot een rol spelen? Wat kan de welzijnsorganisatie doen?",
            "- Wie helpt hen met aanpassingen in huis en met vragen over geld en werk?",
        ],
    },
    {
        "name": "Esther en Kees",
        "condition": "Mantelzorg",
        "image": "Persona Esther en Kees",
        "summary": (
            "Esther (49) zorgt naast haar baan en gezin voor haar vader Kees (82), die ongeneeslijk ziek is "
            "en alleen woont. Ze wil er voor hem zijn, maar raakt zelf uitgeput."
        ),
        "pdf_lines": [
            "Esther is 49, werkt vier dagen per week en heeft twee tieners thuis.",
            "Haar vader Kees is 82, weduwnaar en ongeneeslijk ziek. Hij wil thuis blijven wonen.",
            "Esther doet zijn boodschappen, regelt de afspraken en belt hem elke avond.",
            "Ze weet niet goed waar ze hulp kan vragen en voelt zich schuldig als ze even niets doet.",
            "",
            "Vragen om samen over te praten:",
            "- Wie signaleert dat Esther overbelast raakt: huisarts, werkgever, wijkteam?",
            "- Welke mantelzorgondersteuning is er in haar gemeente, en weet ze die te vinden?",
            "- Hoe kunnen vrijwilligers palliatieve terminale zorg Kees en Esther bijstaan?",
        ],
    },
]

DOCUMENTS = {
    "Handreiking: in gesprek met uw gemeente": [
        "Een korte handreiking voor netwerken palliatieve zorg die het gesprek met de gemeente willen aangaan.",
        "",
        "1. Zoek uit hoe uw gemeente de Wmo en de toegang tot ondersteuning heeft georganiseerd.",
        "2. Ga op bezoek bij het wijkteam of de welzijnsorganisatie en luister eerst.",
        "3. Neem een persona mee en bespreek samen: wat zou hier nodig zijn, en wie doet wat?",
        "4. Spreek een klein, concreet vervolg af, bijvoorbeeld een gezamenlijke casusbespreking.",
        "5. Deel uw ervaringen met het Landelijk Steunpunt Zorg en Welzijn, zodat anderen ervan leren.",
    ],
}

CALL_SLUG = "oproep-nieuwe-initiatieven-zorg-en-welzijn"
CLOSED_CALL_SLUG = "oproep-ervaringen-mantelzorgmonologen"

CALLS = [
    {
        "slug": CALL_SLUG,
        "title": "Oproep nieuwe initiatieven voor project Zorg en Welzijn",
        "intro": (
            "Werkt uw netwerk palliatieve zorg samen met een gemeente, of staat dat op het punt te beginnen? "
            "Vertel het ons: we leren graag van uw initiatief en denken mee waar dat helpt."
        ),
        "deadline_days": 42,
        "contact": "Marieke van Dalen",
        "personas": ["Piet en Ria", "Gerard en Lies", "Esther en Kees"],
        "body": [
            (
                "paragraph",
                "<p>Gemeenten en netwerken palliatieve zorg zoeken samen naar wat zij kunnen betekenen voor de "
                "kwaliteit van leven van mensen met een levensbedreigende ziekte of kwetsbaarheid. Wij brengen "
                "beide werelden bij elkaar. Hieronder leest u wat we tot nu toe hebben gedaan, en waarom we uw "
                "hulp vragen.</p>",
            ),
            ("heading", "Wat we tot nu toe deden"),
            (
                "paragraph",
                "<p>We hebben de afgelopen maanden <b>goede voorbeelden</b> verzameld van samenwerking tussen "
                "aanbieders van palliatieve zorg en het sociaal domein. Die kwamen uit gesprekken met "
                "netwerkcoördinatoren, maar ook uit de ouderenzorg. We publiceren ze stap voor stap op deze "
                "website; het verzamelen gaat door, want elk voorbeeld kan een ander op weg helpen.</p>"
                "<ul><li>We spraken met netwerken, gemeenten en welzijnsorganisaties over hun ervaringen.</li>"
                "<li>We verkennen met een aantal partijen waar pilots kunnen starten.</li>"
                "<li>We maakten persona's over mensen met Parkinson, COPD en over mantelzorgers: een goed "
                "begin van een gesprek met het sociaal domein.</li></ul>",
            ),
            ("heading", "Onze oproep aan de netwerken palliatieve zorg"),
            (
                "paragraph",
                "<p>Een aantal netwerken heeft de afgelopen jaren contact gelegd met gemeenten, en soms is er al "
                "een vorm van samenwerking ontstaan. Die initiatieven kennen we. Nu zoeken we juist de "
                "initiatieven die we <i>nog niet</i> kennen: die net gestart zijn of binnenkort beginnen.</p>"
                "<p>Ook de opbouw van geestelijke verzorging in de eerstelijn vraagt om samenwerking met "
                "gemeenten. Dat kan een goede aanleiding zijn om een verkennend gesprek te voeren. Wij denken "
                "graag mee en ondersteunen waar we kunnen, bijvoorbeeld met een gespreksleider of met de "
                "persona's hieronder.</p>",
            ),
            ("document", "Handreiking: in gesprek met uw gemeente", "Download de handreiking (PDF)"),
        ],
        "form_intro": (
            "<p>Vul het formulier in; het kost ongeveer tien minuten. We nemen binnen twee weken contact met u op.</p>"
        ),
        "extra_form_fields": [
            {
                "label": "Hoe ver is het initiatief?",
                "field_type": "radio",
                "required": True,
                "choices": "Al gestart\nStart binnen drie maanden\nNog in voorbereiding",
            },
            {
                "label": "Met wie werkt u samen?",
                "field_type": "checkboxes",
                "required": False,
                "choices": "Gemeente\nWijkteam\nWelzijnsorganisatie\nHuisartsen\nVrijwilligers\nMantelzorgorganisatie",
                "help_text": "Kies alles wat van toepassing is.",
            },
            {
                "label": "Wilt u dat we meedenken of ondersteunen?",
                "field_type": "checkbox",
                "required": False,
            },
        ],
        "thank_you_text": (
            "<p>Hartelijk dank voor het delen van uw initiatief! We lezen uw reactie zorgvuldig en nemen "
            "binnen twee weken contact met u op. Wilt u intussen iets aanvullen? Mail dan naar "
            '<a href="mailto:marieke.vandalen@example.org">marieke.vandalen@example.org</a>.</p>'
        ),
    },
    {
        "slug": CLOSED_CALL_SLUG,
        "title": "Oproep: uw ervaringen met de mantelzorgmonologen",
        "intro": (
            "Heeft u een voorstelling van de mantelzorgmonologen georganiseerd of bezocht? We vroegen wat "
            "het gesprek daarna opleverde."
        ),
        "deadline_days": -30,
        "contact": "Samira El Amrani",
        "personas": ["Esther en Kees"],
        "body": [
            (
                "paragraph",
                "<p>De mantelzorgmonologen brengen mensen uit de palliatieve zorg en het sociaal domein met "
                "elkaar in gesprek. We vroegen organisatoren en bezoekers wat de voorstelling bij hen losmaakte "
                "en welke afspraken eruit voortkwamen. Deze oproep is gesloten; dank aan iedereen die "
                "reageerde.</p>",
            ),
        ],
        "form_intro": "",
        "extra_form_fields": [],
        "thank_you_text": "<p>Dank voor uw reactie.</p>",
    },
]

MAIN_ARTICLE_SLUG = "verbinden-zorg-en-sociaal-domein"

# Ordered oldest first: related pages point to pages created earlier.
ARTICLES = [
    {
        "slug": "mantelzorgmonologen-begin-van-een-gesprek",
        "title": "Mantelzorgmonologen: theater als begin van een gesprek",
        "days_ago": 96,
        "image": "Mantelzorgmonologen op het podium",
        "tags": ["mantelzorg", "goede voorbeelden"],
        "contact": "Samira El Amrani",
        "personas": ["Esther en Kees"],
        "related": [CLOSED_CALL_SLUG],
        "intro": "Drie monologen, één zaal vol wijkverpleegkundigen, Wmo-consulenten en vrijwilligers. En daarna: praten.",
        "body": [
            (
                "paragraph",
                "<p>De mantelzorgmonologen zijn korte theaterstukken over mensen die zorgen voor een naaste. We "
                "hebben ze bewerkt voor situaties waarin ongeneeslijke ziekte en het naderende levenseinde een "
                "rol spelen. Na de voorstelling gaan de bezoekers in kleine groepen met elkaar in gesprek.</p>",
            ),
            ("heading", "Elkaar leren kennen"),
            (
                "paragraph",
                "<p>Het mooiste van de avonden is dat mensen elkaar leren kennen die elkaar anders niet tegenkomen: "
                "een verpleegkundige uit het hospice naast een consulent van de gemeente, een vrijwilliger naast "
                "een huisarts. Vaak is een telefoonnummer uitwisselen al de eerste stap.</p>",
            ),
            (
                "quote",
                "Ik zag mijn eigen moeder op dat podium. Daarna kon ik er eindelijk over praten.",
                "Bezoeker van een voorstelling",
            ),
        ],
    },
    {
        "slug": "ouderenzorg-en-palliatieve-zorg",
        "title": "Ouderenzorg en palliatieve zorg: eerder het gesprek aangaan",
        "days_ago": 71,
        "image": "Ouderen in gesprek",
        "tags": ["ouderenzorg", "sociaal domein"],
        "contact": "Joost Verhoeven",
        "personas": ["Piet en Ria"],
        "related": ["mantelzorgmonologen-begin-van-een-gesprek"],
        "intro": "In de ouderenzorg is praten over de laatste levensfase nog niet vanzelfsprekend. Dat kan anders.",
        "body": [
            (
                "paragraph",
                "<p>Veel ouderen wonen langer thuis, vaak met meerdere aandoeningen tegelijk. De overgang naar de "
                "palliatieve fase is dan geen moment maar een glijdende schaal. Wie let erop, en wie begint het "
                "gesprek over wat iemand nog belangrijk vindt?</p>",
            ),
            ("heading", "Samenwerking die al bestaat"),
            (
                "paragraph",
                "<p>Op verschillende plekken werken huisartsen, wijkverpleging en welzijnswerk al samen rond "
                "kwetsbare ouderen. Daar kan palliatieve zorg goed op aansluiten: de lijnen zijn kort en men "
                "kent elkaar. We verzamelen zulke voorbeelden en delen ze op deze website.</p>",
            ),
        ],
    },
    {
        "slug": "geestelijke-verzorging-in-de-eerstelijn",
        "title": "Geestelijke verzorging in de eerstelijn: ook een zaak van de wijk",
        "days_ago": 48,
        "image": "Geestelijke verzorging thuis",
        "tags": ["geestelijke verzorging", "sociaal domein", "gemeenten"],
        "contact": "Joost Verhoeven",
        "personas": [],
        "related": ["ouderenzorg-en-palliatieve-zorg"],
        "intro": "Vragen over zingeving spelen thuis net zo goed als in het ziekenhuis. Wie vangt ze op?",
        "body": [
            (
                "paragraph",
                "<p>Geestelijk verzorgers zijn er niet alleen voor mensen in een ziekenhuis of hospice. Ook thuis "
                "kunnen mensen in de laatste levensfase, en hun naasten, een beroep op hen doen. De netwerken "
                "palliatieve zorg bouwen daarvoor aan een regionale infrastructuur.</p>",
            ),
            ("heading", "Waarom de gemeente erbij hoort"),
            (
                "paragraph",
                "<p>Eenzaamheid, rouw en vragen over zin en betekenis komen vaak eerst op tafel bij een "
                "wijkteam, een ouderenadviseur of een vrijwilliger. Als zij de geestelijk verzorger kennen, "
                "kunnen ze gericht doorverwijzen. Daarom zoeken we de samenwerking met gemeenten op.</p>",
            ),
        ],
    },
    {
        "slug": "pilot-lindendal-casuistiek-aan-een-tafel",
        "title": "Pilot in Lindendal: casuïstiek aan één tafel",
        "days_ago": 27,
        "image": "Pilot Lindendal",
        "tags": ["gemeenten", "goede voorbeelden", "sociaal domein"],
        "contact": "Samira El Amrani",
        "personas": ["Gerard en Lies"],
        "related": ["geestelijke-verzorging-in-de-eerstelijn", CALL_SLUG],
        "intro": "In de (fictieve) gemeente Lindendal bespreken zorg en welzijn samen echte situaties. Wat levert dat op?",
        "body": [
            (
                "paragraph",
                "<p>In Lindendal zitten elke zes weken een wijkverpleegkundige, een Wmo-consulent, een "
                "mantelzorgconsulent, een huisarts en een coördinator vrijwilligers palliatieve terminale zorg "
                "samen aan tafel. Ze bespreken een situatie uit de praktijk en vragen zich af: waar liepen we "
                "tegenaan, en hoe kan het de volgende keer beter?</p>",
            ),
            ("heading", "Eerste lessen"),
            (
                "paragraph",
                "<ul><li>Weten wie je kunt bellen, scheelt weken.</li>"
                "<li>Een persona helpt om het gesprek te beginnen zonder privacygevoelige details.</li>"
                "<li>Mantelzorgers komen vaak pas in beeld als ze al overbelast zijn.</li></ul>",
            ),
            (
                "quote",
                "We dachten dat we elkaar kenden. Nu weten we ook wat we aan elkaar hebben.",
                "Wmo-consulent in Lindendal",
            ),
        ],
    },
    {
        "slug": "mantelzorgers-ondersteunen-in-de-laatste-levensfase",
        "title": "Mantelzorgers ondersteunen in de laatste levensfase",
        "days_ago": 12,
        "image": "Mantelzorger met kop koffie",
        "tags": ["mantelzorg", "gemeenten"],
        "contact": "Marieke van Dalen",
        "personas": ["Esther en Kees", "Piet en Ria"],
        "related": ["pilot-lindendal-casuistiek-aan-een-tafel", "mantelzorgmonologen-begin-van-een-gesprek"],
        "intro": "Mantelzorgers dragen veel, zeker als hun naaste niet meer beter wordt. Gemeenten kunnen hen steunen.",
        "body": [
            (
                "paragraph",
                "<p>Gemeenten zijn verantwoordelijk voor de ondersteuning van mantelzorgers. Denk aan een "
                "mantelzorgconsulent, respijtzorg of een lotgenotengroep. Maar in de palliatieve fase verandert "
                "er veel tegelijk, en juist dan weten mantelzorgers de weg vaak niet te vinden.</p>",
            ),
            ("heading", "Wat netwerken kunnen doen"),
            (
                "paragraph",
                "<p>Zorgverleners zien mantelzorgers vaak als eersten. Als zij weten welke ondersteuning de "
                "gemeente biedt, kunnen ze daar tijdig naar verwijzen. Een warme overdracht aan het wijkteam "
                "werkt beter dan een folder.</p>",
            ),
        ],
    },
    {
        "slug": MAIN_ARTICLE_SLUG,
        "title": "Verbinden zorg en sociaal domein: samen rond mensen thuis",
        "days_ago": 3,
        "image": "Keukentafelgesprek in de wijk",
        "tags": ["sociaal domein", "gemeenten", "mantelzorg", "goede voorbeelden"],
        "contact": "Marieke van Dalen",
        "personas": ["Piet en Ria", "Gerard en Lies", "Esther en Kees"],
        "related": [
            CALL_SLUG,
            "pilot-lindendal-casuistiek-aan-een-tafel",
            "mantelzorgers-ondersteunen-in-de-laatste-levensfase",
        ],
        "intro": (
            "Mensen in de laatste fase van hun leven wonen meestal thuis. Zorg en welzijn kunnen daar veel "
            "meer samen doen. Zo pakken wij dat aan, en zo kunt u meedoen."
        ),
        "body": [
            (
                "quote",
                "Goede zorg aan het einde van het leven begint niet in de spreekkamer, maar aan de keukentafel. "
                "Daar zitten de buurvrouw, de mantelzorger en soms het wijkteam al lang.",
                "Anja Kuipers, wijkverpleegkundige (fictief)",
            ),
            (
                "paragraph",
                "<p>Wij willen dat mensen hulp krijgen die past bij hun eigen omgeving. Daarvoor moeten zorg en "
                "welzijn beter samenwerken, en moeten we de kracht van familie, buren en vrijwilligers beter "
                "benutten. In dit artikel vertellen we hoe we dat de komende tijd aanpakken, en waar we uw "
                "hulp bij kunnen gebruiken.</p>",
            ),
            ("heading", "Wat is het sociaal domein?"),
            (
                "paragraph",
                "<p>Met het <b>sociaal domein</b> bedoelen we alles wat een gemeente doet op het gebied van "
                "ondersteuning, participatie, werk en jeugd. De belangrijkste wetten zijn de Wet maatschappelijke "
                "ondersteuning (Wmo), de Participatiewet en de Jeugdwet. Op het eerste gezicht een andere wereld "
                "dan de palliatieve zorg.</p>",
            ),
            ("heading", "Waar palliatieve zorg en gemeente elkaar raken", "h3"),
            (
                "paragraph",
                "<p>Toch raken die werelden elkaar voortdurend. De meeste mensen in hun laatste levensfase wonen "
                "thuis en worden vooral geholpen door naasten en mantelzorgers. Ondersteuning van mantelzorgers, "
                "hulp in huis, vervoer, aandacht voor mensen met een klein netwerk: het zijn allemaal taken van "
                "de gemeente. Die voert ze uit via wijkteams, welzijnsorganisaties en onafhankelijke "
                "cliëntondersteuning.</p>"
                "<p>Weet u hoe uw gemeente de toegang tot de Wmo heeft geregeld? Is er een wijkteam, en wie zit "
                "daarin? Heeft u al eens koffie gedronken met een Wmo-consulent?</p>",
            ),
            (
                "image",
                "Wijkteam en netwerk aan één tafel",
                "Een wijkverpleegkundige en een Wmo-consulent bespreken samen een casus aan een keukentafel.",
                "Zorg en welzijn aan één tafel: zo begint samenwerking vaak.",
            ),
            ("heading", "Persona's als begin van het gesprek"),
            (
                "paragraph",
                "<p>Onze persona's beschrijven situaties die veel mensen zullen herkennen: Piet en Ria, die leven "
                "met Parkinson; Gerard en Lies, voor wie COPD het leven klein maakt; Esther, die zorgt voor haar "
                "vader Kees. In elk verhaal zitten aanknopingspunten om met elkaar verder te praten: wie doet "
                "wat, en wat mist er nog?</p>",
            ),
            ("document", "Handreiking: in gesprek met uw gemeente", "Handreiking: in gesprek met uw gemeente (PDF)"),
            ("heading", "Pilots in gemeenten"),
            (
                "paragraph",
                "<p>In een aantal gemeenten brengen we mensen en organisaties bij elkaar die samen aan de hand "
                "van eigen casuïstiek onderzoeken waar ze tegenaan lopen en hoe het beter kan. We praten ook met "
                "welzijnsorganisaties over hoe hun medewerkers en vrijwilligers, die bij mensen thuis komen, "
                "meer oog krijgen voor de laatste levensfase. Wat we leren, delen we hier.</p>",
            ),
            ("heading", "Mantelzorgmonologen"),
            (
                "paragraph",
                "<p>De mantelzorgmonologen hebben we bewerkt voor situaties waarin ongeneeslijke ziekte en het "
                "levenseinde een rol spelen. Na de voorstelling gaan mensen uit de palliatieve zorg en het sociaal "
                "domein met elkaar in gesprek: een eerste stap om elkaar te leren kennen.</p>",
            ),
            ("heading", "Deel uw goede voorbeeld"),
            (
                "paragraph",
                "<p>Werkt u bij een gemeente, een welzijnsorganisatie of in de palliatieve zorg, en heeft u een "
                "inspirerend verhaal over samenwerking? Deel het met ons. We komen het graag optekenen en laten "
                "anderen ervan leren.</p>",
            ),
            ("call_to_action", "Deel uw initiatief", CALL_SLUG),
        ],
    },
]

EXAMPLE_INDEX = {
    "slug": "goede-voorbeelden",
    "title": "Goede voorbeelden",
    "intro": (
        "Initiatieven waarin zorg en welzijn samenwerken, verteld door de mensen die ze bedachten. Veel ervan "
        "kwamen binnen als reactie op een oproep."
    ),
}

# Published good examples, written up from (invented) answers to a call.
EXAMPLES = [
    {
        "slug": "koffie-met-het-wijkteam",
        "title": "Elke maand koffie met het wijkteam",
        "days_ago": 40,
        "organisation_name": "Netwerk Palliatieve Zorg Lindendal",
        "region": "Gelderland",
        "intro": "Een vast uur per maand, zonder agenda: zo leerden netwerk en wijkteam elkaar kennen.",
        "body": [
            (
                "paragraph",
                "<p>Het netwerk palliatieve zorg in Lindendal zocht al langer een ingang bij het sociaal domein. "
                "Geen projectplan, maar een vast uur: elke eerste dinsdag van de maand drinken de "
                "netwerkcoördinator en het wijkteam samen koffie in het buurthuis.</p>",
            ),
            ("heading", "Wat het oplevert"),
            (
                "paragraph",
                "<p>Het wijkteam weet nu wie het kan bellen als een bewoner ongeneeslijk ziek is, en het netwerk "
                "hoort eerder van mantelzorgers die vastlopen. Samen bespreken ze situaties (zonder namen) en "
                "spreken ze af wie wat doet.</p>",
            ),
            ("quote", "Na drie keer koffie belden we elkaar gewoon op.", "Wijkcoach in Lindendal"),
            ("heading", "Tip voor anderen"),
            ("paragraph", "<p>Begin klein en vaak. Neem een persona mee als u niet weet waar u het over moet hebben.</p>"),
        ],
    },
    {
        "slug": "mantelzorgcafe-in-de-bibliotheek",
        "title": "Een mantelzorgcafé in de bibliotheek",
        "days_ago": 18,
        "organisation_name": "Welzijn Beekveld",
        "region": "Noord-Brabant",
        "intro": "Mantelzorgers van mensen in de laatste levensfase vinden elkaar op een plek waar iedereen mag komen.",
        "body": [
            (
                "paragraph",
                "<p>Welzijn Beekveld organiseert samen met de vrijwilligers palliatieve terminale zorg een "
                "mantelzorgcafé in de bibliotheek. Eens per maand schuiven mantelzorgers aan voor een kop koffie "
                "en een gesprek; een verpleegkundige en een consulent van de gemeente zijn erbij.</p>",
            ),
            ("heading", "Waarom de bibliotheek"),
            (
                "paragraph",
                "<p>Een bibliotheek is voor iedereen. Wie er binnenloopt, hoeft niet uit te leggen waarom. Dat "
                "maakt de drempel laag voor mantelzorgers die zichzelf nog niet zo noemen.</p>",
            ),
            ("heading", "Met wie"),
            (
                "paragraph",
                "<ul><li>Welzijnsorganisatie: organisatie en gastvrouwen</li><li>Vrijwilligers palliatieve "
                "terminale zorg</li><li>Wijkverpleging en de Wmo-consulent van de gemeente</li></ul>",
            ),
        ],
    },
]

ACCESSIBILITY = {
    "slug": "toegankelijkheid",
    "title": "Toegankelijkheid",
    "intro": (
        "Iedereen moet deze website kunnen gebruiken. Hier leest u hoe we daarvoor zorgen en wat u kunt doen "
        "als iets niet werkt."
    ),
    "body": [
        ("heading", "Onze ambitie"),
        (
            "paragraph",
            "<p>Het Landelijk Steunpunt Zorg en Welzijn wil dat iedereen deze website kan gebruiken, ook "
            "mensen die slecht zien, een schermlezer gebruiken, alleen met het toetsenbord werken of moeite "
            "hebben met lezen. We streven ernaar te voldoen aan de <b>Web Content Accessibility Guidelines "
            "(WCAG) 2.2 op niveau AA</b>, de norm die ook voor overheidswebsites geldt.</p>",
        ),
        ("heading", "Wat we doen"),
        (
            "paragraph",
            "<ul><li>We gebruiken duidelijke koppen, beschrijvende linkteksten en alt-teksten bij "
            "afbeeldingen.</li>"
            "<li>Alle functies werken met het toetsenbord en zonder JavaScript; de focus is altijd "
            "zichtbaar.</li>"
            "<li>Formuliervelden hebben een label, en foutmeldingen staan bij het veld waar ze over "
            "gaan.</li>"
            "<li>We geven informatie nooit alleen met kleur weer en letten op voldoende contrast.</li>"
            "<li>We testen elke pagina automatisch met axe-core en controleren regelmatig met de hand.</li></ul>",
        ),
        ("heading", "Bekende beperkingen"),
        (
            "paragraph",
            "<p>Sommige oudere PDF-documenten zijn nog niet volledig toegankelijk. We vervangen ze stap voor "
            "stap. Heeft u een document nodig in een andere vorm? Vraag het ons, dan sturen we het u toe.</p>",
        ),
        ("heading", "Probleem gevonden?"),
        (
            "paragraph",
            "<p>Loopt u ergens tegenaan op deze website? Laat het ons weten via "
            '<a href="mailto:toegankelijkheid@example.org">toegankelijkheid@example.org</a>. Vermeld de pagina '
            "en wat er misging. We reageren binnen vijf werkdagen en laten u weten wanneer het is opgelost.</p>"
            "<p>Bent u niet tevreden over hoe we uw melding afhandelen? Dan kunt u een klacht indienen bij "
            "de Nationale ombudsman.</p>",
        ),
        ("heading", "Over deze verklaring"),
        ("paragraph", "<p>Deze verklaring is opgesteld op {date} en wordt elk jaar opnieuw bekeken.</p>"),
    ],
}

USERS = [
    {"username": "beheerder", "email": "beheerder@example.org", "first_name": "Beheerder", "superuser": True},
    {"username": "redacteur", "email": "redacteur@example.org", "first_name": "Redacteur", "superuser": False},
    {
        "username": "campagnebeheerder",
        "email": "campagnebeheerder@example.org",
        "first_name": "Campagnebeheerder",
        "superuser": False,
        "campaign_manager": True,
    },
]
DEMO_PASSWORD = "zorgenwelzijn"
EDITORS_GROUP = "Editors"
