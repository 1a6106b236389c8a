"""Benchmarking indicators as typed measurements: measure, unit, direction, range,
guidance, Italian wording and scale levels; values become a number with a comment.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00.000000

"""

import re
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Reference data, kept literally here so that this migration means the same thing forever.
SERVICE_SCALE = [
    ("none", "nessuno"),
    ("ad hoc", "occasionale"),
    ("newsletter", "newsletter"),
    ("regular reports", "rapporti periodici"),
    ("tailored intelligence", "analisi su misura"),
]
SERVICE_GUIDANCE = (
    "The most developed form of this service offered in the last 12 months.",
    "La forma più sviluppata di questo servizio offerta negli ultimi 12 mesi.",
)

# code: (measure, unit, unit_it, direction, minimum, maximum, name_it, guidance,
#        guidance_it, levels [(label, label_it)] for scales)
BENCHMARK = {
    "B01": ("count", "participants", "partecipanti", "up", 0, None,
            "Numero di partecipanti impegnati nel cluster",
            "Count the organisations formally committed to the cluster (membership, signed"
            " agreement or fee paid) on the day of the interview.",
            "Contare le organizzazioni che hanno aderito formalmente al cluster (adesione,"
            " accordo firmato o quota versata) alla data dell'intervista.", None),
    "B02": ("count", "member types present (of 7)", "tipologie di membri presenti (su 7)",
            "up", 0, 7,
            "Composizione dei partecipanti per tipologia (imprese, ricerca, enti pubblici)",
            "Count how many of the seven member types (SMEs, large companies, research"
            " organisations, universities, public bodies, finance, other) have at least one"
            " participant.",
            "Contare quante delle sette tipologie di membri (PMI, grandi imprese, organismi di"
            " ricerca, università, enti pubblici, finanza, altro) hanno almeno un"
            " partecipante.", None),
    "B03": ("percent", "%", "%", "neutral", 0, 100,
            "Quota di piccole e medie imprese tra i partecipanti",
            "SMEs (fewer than 250 employees) as a share of all committed participants.",
            "Le PMI (meno di 250 dipendenti) in percentuale sul totale dei partecipanti"
            " impegnati.", None),
    "B04": ("percent", "%", "%", "neutral", 0, 100,
            "Quota di organismi di ricerca e formazione tra i partecipanti",
            "Universities, research centres and training institutions as a share of all"
            " committed participants.",
            "Università, centri di ricerca ed enti di formazione in percentuale sul totale dei"
            " partecipanti impegnati.", None),
    "B05": ("percent", "% within 50 km of the cluster office",
            "% entro 50 km dalla sede del cluster", "neutral", 0, 100,
            "Concentrazione geografica dei partecipanti",
            "Share of the participants whose main site lies within 50 km of the cluster"
            " office.",
            "Quota dei partecipanti la cui sede principale si trova entro 50 km dalla sede del"
            " cluster.", None),
    "B06": ("number", "years since founding", "anni dalla fondazione", "neutral", 0, 200,
            "Età del cluster e dell'organizzazione di cluster",
            "Years since the cluster organisation was founded, or since the cluster initiative"
            " started if that was earlier.",
            "Anni trascorsi dalla fondazione dell'organizzazione di cluster, o dall'avvio"
            " dell'iniziativa di cluster se precedente.", None),
    "B07": ("number", "FTE", "ETP", "up", 0, 1000,
            "Risorse umane della gestione del cluster",
            "Full-time equivalents working for the cluster management, part-time and seconded"
            " staff included (e.g. 2.5).",
            "Equivalenti a tempo pieno che lavorano per la gestione del cluster, compreso il"
            " personale a tempo parziale o distaccato (ad es. 2,5).", None),
    "B08": ("scale", None, None, "up", 0, 4,
            "Qualificazione del personale della gestione del cluster",
            "The highest level reached by most of the management staff.",
            "Il livello più alto raggiunto dalla maggior parte del personale di gestione.",
            [("none", "nessuna"), ("some training", "qualche formazione"),
             ("degree", "laurea"),
             ("degree + cluster training", "laurea e formazione sulla gestione di cluster"),
             ("certified cluster managers", "cluster manager certificati")]),
    "B09": ("number", "years as cluster manager", "anni come cluster manager", "up", 0, 60,
            "Esperienza del cluster manager",
            "Years the current cluster manager has managed this or another cluster.",
            "Anni in cui l'attuale cluster manager ha gestito questo o un altro cluster.",
            None),
    "B10": ("percent", "% of staff in post for 2+ years",
            "% del personale in carica da almeno 2 anni", "up", 0, 100,
            "Stabilità del gruppo di gestione del cluster",
            "Share of the management staff (by head count) in post for at least two years.",
            "Quota del personale di gestione (per numero di persone) in carica da almeno due"
            " anni.", None),
    "B11": ("scale", None, None, "up", 0, 4,
            "Coinvolgimento dei partecipanti negli organi di governo",
            "The strongest form in which participants take part in the governance bodies.",
            "La forma più forte in cui i partecipanti prendono parte agli organi di governo.",
            [("none", "nessuno"), ("informal", "informale"),
             ("advisory board", "comitato consultivo"),
             ("board with participants", "consiglio con i partecipanti"),
             ("participants decide strategy", "i partecipanti decidono la strategia")]),
    "B12": ("scale", None, None, "up", 0, 4,
            "Strategia e piano d'azione documentati",
            "What is written down and approved; ask to see the documents.",
            "Ciò che è scritto e approvato; chiedere di vedere i documenti.",
            [("none", "nessuna"), ("ideas", "idee"), ("written strategy", "strategia scritta"),
             ("strategy + action plan", "strategia e piano d'azione"),
             ("strategy, plan and monitoring", "strategia, piano e monitoraggio")]),
    "B13": ("number", "EUR per year", "EUR all'anno", "up", 0, 1000000000,
            "Budget annuale della gestione del cluster",
            "The cluster management's total budget in the last closed financial year, in"
            " euros.",
            "Il budget complessivo della gestione del cluster nell'ultimo esercizio chiuso, in"
            " euro.", None),
    "B14": ("percent", "%", "%", "neutral", 0, 100,
            "Quota di finanziamento pubblico nel budget",
            "Public grants and contracts as a share of the management's budget (last closed"
            " year).",
            "Contributi e incarichi pubblici in percentuale sul budget della gestione (ultimo"
            " esercizio chiuso).", None),
    "B15": ("percent", "%", "%", "up", 0, 100,
            "Quota delle quote associative nel budget",
            "Membership fees as a share of the management's budget (last closed year).",
            "Quote associative in percentuale sul budget della gestione (ultimo esercizio"
            " chiuso).", None),
    "B16": ("percent", "%", "%", "up", 0, 100,
            "Quota delle entrate da servizi",
            "Income from services sold to participants and others as a share of the budget.",
            "Entrate da servizi venduti ai partecipanti e ad altri in percentuale sul budget.",
            None),
    "B17": ("number", "years", "anni", "up", 0, 50,
            "Orizzonte di finanziamento garantito",
            "How many years ahead the management's funding is secured by signed commitments.",
            "Per quanti anni il finanziamento della gestione è garantito da impegni firmati.",
            None),
    "B18": ("count", "distinct sources", "fonti distinte", "up", 0, None,
            "Diversificazione delle fonti di finanziamento",
            "Count the distinct funding sources that each bring at least 5 % of the budget.",
            "Contare le fonti di finanziamento distinte che apportano ciascuna almeno il 5 %"
            " del budget.", None),
    "B19": ("count", "service lines", "linee di servizio", "up", 0, None,
            "Gamma dei servizi offerti ai partecipanti",
            "Count the service lines actually delivered to participants in the last 12"
            " months.",
            "Contare le linee di servizio effettivamente erogate ai partecipanti negli ultimi"
            " 12 mesi.", None),
    "B20": ("scale", None, None, "up", 0, 4,
            "Servizi di informazione e di intelligence economica", *SERVICE_GUIDANCE,
            SERVICE_SCALE),
    "B21": ("scale", None, None, "up", 0, 4,
            "Matchmaking e supporto alla cooperazione", *SERVICE_GUIDANCE, SERVICE_SCALE),
    "B22": ("scale", None, None, "up", 0, 4,
            "Supporto all'internazionalizzazione", *SERVICE_GUIDANCE, SERVICE_SCALE),
    "B23": ("scale", None, None, "up", 0, 4,
            "Supporto a progetti di innovazione e di ricerca e sviluppo", *SERVICE_GUIDANCE,
            SERVICE_SCALE),
    "B24": ("scale", None, None, "up", 0, 4,
            "Servizi di formazione, qualificazione e sviluppo delle competenze",
            *SERVICE_GUIDANCE, SERVICE_SCALE),
    "B25": ("number", "contacts per participant per year",
            "contatti per partecipante all'anno", "up", 0, 365,
            "Frequenza dei contatti tra la gestione del cluster e i partecipanti",
            "Personal contacts (meetings, calls, visits) in the last 12 months divided by the"
            " number of participants; one decimal is enough.",
            "Contatti personali (incontri, telefonate, visite) negli ultimi 12 mesi divisi per"
            " il numero dei partecipanti; basta un decimale.", None),
    "B26": ("count", "events per year", "eventi all'anno", "up", 0, None,
            "Eventi organizzati all'anno",
            "Events organised or co-organised by the cluster management in the last 12"
            " months.",
            "Eventi organizzati o co-organizzati dalla gestione del cluster negli ultimi 12"
            " mesi.", None),
    "B27": ("count", "projects running", "progetti in corso", "up", 0, None,
            "Progetti congiunti tra i partecipanti",
            "Projects running now with at least two participants, started or supported by the"
            " cluster.",
            "Progetti in corso con almeno due partecipanti, avviati o sostenuti dal cluster.",
            None),
    "B28": ("count", "channels", "canali", "up", 0, None,
            "Canali di comunicazione in uso",
            "Channels used at least monthly (website, newsletter, each social network, member"
            " portal, ...).",
            "Canali usati almeno una volta al mese (sito web, newsletter, ciascun social"
            " network, portale dei membri, ...).", None),
    "B29": ("percent", "% of participants attending at least one event a year",
            "% dei partecipanti presenti ad almeno un evento all'anno", "up", 0, 100,
            "Partecipazione dei membri agli eventi del cluster",
            "Share of the participants that attended at least one cluster event in the last"
            " 12 months.",
            "Quota dei partecipanti che hanno preso parte ad almeno un evento del cluster negli"
            " ultimi 12 mesi.", None),
    "B30": ("percent", "% satisfied in the latest survey",
            "% di soddisfatti nell'ultima indagine", "up", 0, 100,
            "Soddisfazione dei partecipanti per la gestione del cluster",
            "Share of the respondents satisfied or very satisfied in the latest participant"
            " survey; without a survey leave it empty and say so in the comment.",
            "Quota dei rispondenti soddisfatti o molto soddisfatti nell'ultima indagine tra i"
            " partecipanti; se non c'è un'indagine lasciare vuoto e indicarlo nel commento.",
            None),
    "B31": ("count", "articles or broadcasts per year", "articoli o servizi all'anno", "up",
            0, None,
            "Copertura di stampa e media",
            "Articles, broadcasts and interviews about the cluster in the last 12 months.",
            "Articoli, servizi radiotelevisivi e interviste sul cluster negli ultimi 12 mesi.",
            None),
    "B32": ("scale", None, None, "up", 0, 4,
            "Sito web e presenza online",
            "The most complete online presence that is kept up to date.",
            "La presenza online più completa tenuta aggiornata.",
            [("none", "nessuna"), ("basic page", "pagina essenziale"), ("website", "sito web"),
             ("website in English", "sito web in inglese"),
             ("website, English, social media and news",
              "sito web in inglese, social media e notizie")]),
    "B33": ("count", "stories", "storie", "up", 0, None,
            "Storie di successo documentate",
            "Success stories written up and published (report, website) in the last two"
            " years.",
            "Storie di successo descritte e pubblicate (rapporto, sito web) negli ultimi due"
            " anni.", None),
    "B34": ("scale", None, None, "up", 0, 4,
            "Riconoscimento da parte dei decisori politici",
            "The strongest recognition by public authorities, with evidence (invitations,"
            " agreements, strategy documents).",
            "Il riconoscimento più forte da parte delle autorità pubbliche, documentato"
            " (inviti, accordi, documenti strategici).",
            [("none", "nessuno"), ("known", "conosciuto"), ("consulted", "consultato"),
             ("partner in regional strategy", "partner nella strategia regionale"),
             ("partner in national or EU strategy",
              "partner nella strategia nazionale o europea")]),
    "B35": ("count", "clusters with a signed cooperation",
            "cluster con una cooperazione firmata", "up", 0, None,
            "Cooperazione con altri cluster",
            "Other clusters with which a cooperation agreement is signed and active.",
            "Altri cluster con cui è stato firmato un accordo di cooperazione ancora attivo.",
            None),
    "B36": ("count", "international partnerships", "partenariati internazionali", "up",
            0, None,
            "Visibilità internazionale e partenariati",
            "Active partnerships with organisations abroad (agreements, joint projects,"
            " networks).",
            "Partenariati attivi con organizzazioni all'estero (accordi, progetti congiunti,"
            " reti).", None),
}  # fmt: skip

# The unit now says what these names said in brackets: (new name, name before 0009).
RENAMED = {
    "B07": (
        "Human resources of the cluster management",
        "Human resources of the cluster management (FTE)",
    ),
    "B17": ("Secured funding horizon", "Secured funding horizon (years)"),
}

OTHER_NAMES_IT = {
    "BMR1": "Una strategia di cluster documentata con obiettivi",
    "BMR2": "Un piano d'azione che attua la strategia",
    "BMR3": "Una governance formale con i partecipanti coinvolti nelle decisioni",
    "BMR4": "Il finanziamento della gestione del cluster garantito per i prossimi due anni",
    "BMR5": "Un portafoglio documentato di servizi utilizzati dai partecipanti",
    "BMR6": "Un'indagine periodica sulla soddisfazione dei partecipanti",
    "BMR7": "Il monitoraggio dei risultati con indicatori chiave di prestazione",
    "BMR8": "Un sito web e una comunicazione in inglese",
    "Q01": "Impegno dei partecipanti al cluster",
    "Q02": "Composizione e massa critica dei partecipanti",
    "Q03": "Concentrazione geografica e raggio d'azione",
    "Q04": "Partecipazione della ricerca e della formazione",
    "Q05": "Sviluppo della base dei partecipanti",
    "Q06": "Qualificazione ed esperienza della gestione del cluster",
    "Q07": "Risorse umane della gestione del cluster",
    "Q08": "Stabilità della gestione del cluster",
    "Q09": "Coinvolgimento dei portatori di interesse nelle decisioni",
    "Q10": "Integrazione nelle politiche regionali e nazionali",
    "Q11": "Processi di gestione e garanzia della qualità",
    "Q12": "Risorse finanziarie della gestione del cluster",
    "Q13": "Sostenibilità del finanziamento",
    "Q14": "Quota di finanziamento privato",
    "Q15": "Processo di definizione della strategia",
    "Q16": "Strategia documentata con obiettivi misurabili",
    "Q17": "Piano di attuazione e budget",
    "Q18": "Monitoraggio degli obiettivi e degli indicatori chiave di prestazione",
    "Q19": "Gamma e pertinenza dei servizi",
    "Q20": "Utilizzo dei servizi da parte dei partecipanti",
    "Q21": "Supporto all'innovazione e alla ricerca e sviluppo",
    "Q22": "Supporto all'internazionalizzazione",
    "Q23": "Servizi per le competenze e la qualificazione",
    "Q24": "Comunicazione all'interno del cluster",
    "Q25": "Orientamento al cliente e riscontro dei partecipanti",
    "Q26": "Progetti di cooperazione tra i partecipanti",
    "Q27": "Visibilità e reputazione del cluster",
    "Q28": "Cooperazione internazionale",
    "Q29": "Storie di successo e impatti documentati",
    "Q30": "Riconoscimento da parte dei portatori di interesse e dei decisori politici",
    "Q31": "Cooperazione intersettoriale e tra cluster",
}

# One number in ASCII digits, with "," or "." as the decimal mark, then optionally "%" or one word
# (a unit such as "FTE"). Anything else stays text.
NUMBER = re.compile(r"^\s*([+-]?[0-9]+(?:[.,][0-9]+)?)\s*(%|[^\W\d_]{1,30})?\s*$")
YES_NO = {"yes": 1, "si": 1, "sì": 1, "true": 1, "no": 0, "false": 0}
MEASURE = sa.Enum(
    "count", "number", "percent", "scale", "yesno", name="measure", native_enum=False, length=32
)
DIRECTION = sa.Enum("up", "neutral", name="direction", native_enum=False, length=32)


# Numbers bound as NUMERIC: SQLite's driver takes no Decimal on its own.
SET_VALUE = sa.text(
    "UPDATE indicator_value SET number = :number, comment = :comment WHERE id = :id"
).bindparams(sa.bindparam("number", type_=sa.Numeric(16, 2)))
SET_MEASURE = sa.text(
    "UPDATE indicator_definition SET measure = :measure, unit = :unit, unit_it = :unit_it,"
    " direction = :direction, minimum = :minimum, maximum = :maximum, name_it = :name_it,"
    " guidance = :guidance, guidance_it = :guidance_it WHERE code = :code"
).bindparams(
    sa.bindparam("minimum", type_=sa.Numeric(16, 2)),
    sa.bindparam("maximum", type_=sa.Numeric(16, 2)),
)


def upgrade():
    op.create_table(
        "indicator_scale_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("label_it", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator_definition.id"],
            name=op.f("fk_indicator_scale_level_indicator_id_indicator_definition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_scale_level")),
        sa.UniqueConstraint(
            "indicator_id", "step", name=op.f("uq_indicator_scale_level_indicator_id")
        ),
    )
    with op.batch_alter_table("indicator_definition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_it", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("measure", MEASURE, nullable=True))
        batch_op.add_column(sa.Column("unit", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("unit_it", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("direction", DIRECTION, nullable=True))
        batch_op.add_column(sa.Column("minimum", sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.add_column(sa.Column("maximum", sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.add_column(sa.Column("guidance", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("guidance_it", sa.Text(), nullable=True))
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Numeric(precision=16, scale=2), nullable=True))
        batch_op.add_column(sa.Column("comment", sa.Text(), nullable=True))

    connection = op.get_bind()
    _fill_definitions(connection)
    parsed, kept = _convert_values(connection)
    # Printed, so whoever upgrades sees what became of the old text answers.
    print(f"indicator values: {parsed} parsed, {kept} kept as comments")

    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_column("value")


def downgrade():
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.add_column(sa.Column("value", sa.Text(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT id, number, comment FROM indicator_value"
            " WHERE number IS NOT NULL OR comment IS NOT NULL"
        ).columns(number=sa.Numeric(16, 2))
    ).all()
    for row_id, number, comment in rows:
        text = comment or format(number.normalize(), "f")
        connection.execute(
            sa.text("UPDATE indicator_value SET value = :value WHERE id = :id"),
            {"value": text, "id": row_id},
        )
    for code, (_new, old) in RENAMED.items():
        connection.execute(
            sa.text("UPDATE indicator_definition SET name = :name WHERE code = :code"),
            {"name": old, "code": code},
        )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_column("comment")
        batch_op.drop_column("number")
    op.drop_table("indicator_scale_level")
    # Dropped in place: recreating the table would trip the foreign keys of the values.
    with op.batch_alter_table("indicator_definition", schema=None, recreate="never") as batch_op:
        for column in (
            "guidance_it",
            "guidance",
            "maximum",
            "minimum",
            "direction",
            "unit_it",
            "unit",
            "measure",
            "name_it",
        ):
            batch_op.drop_column(column)


def _fill_definitions(connection):
    ids = dict(connection.execute(sa.text("SELECT code, id FROM indicator_definition")).all())
    for code, (new, _old) in RENAMED.items():
        connection.execute(
            sa.text("UPDATE indicator_definition SET name = :name WHERE code = :code"),
            {"name": new, "code": code},
        )
    for code, name_it in OTHER_NAMES_IT.items():
        connection.execute(
            sa.text("UPDATE indicator_definition SET name_it = :name_it WHERE code = :code"),
            {"name_it": name_it, "code": code},
        )
    levels = []
    for code, row in BENCHMARK.items():
        measure, unit, unit_it, direction, minimum, maximum, name_it, guide, guide_it, steps = row
        connection.execute(
            SET_MEASURE,
            {
                "measure": measure,
                "unit": unit,
                "unit_it": unit_it,
                "direction": direction,
                "minimum": minimum,
                "maximum": maximum,
                "name_it": name_it,
                "guidance": guide,
                "guidance_it": guide_it,
                "code": code,
            },
        )
        for step, (label, label_it) in enumerate(steps or []):
            levels.append(
                {"indicator_id": ids[code], "step": step, "label": label, "label_it": label_it}
            )
    table = sa.table(
        "indicator_scale_level",
        sa.column("indicator_id", sa.Integer),
        sa.column("step", sa.Integer),
        sa.column("label", sa.String),
        sa.column("label_it", sa.String),
    )
    op.bulk_insert(table, levels)


def _convert_values(connection):
    """Move each benchmarking answer that is plainly a number in range to `number`; keep
    the text as the comment whenever it said more than the number (or was no number)."""
    rows = connection.execute(
        sa.text(
            "SELECT v.id, v.value, d.code FROM indicator_value v"
            " JOIN indicator_definition d ON d.id = v.indicator_id"
            " WHERE d.kind = 'benchmark' AND v.value IS NOT NULL"
        )
    ).all()
    parsed = kept = 0
    for row_id, value, code in rows:
        text = value.strip()
        if not text:
            continue
        number, comment = parse_answer(code, text)
        if number is not None:
            parsed += 1
        if comment is not None:
            kept += 1
        connection.execute(SET_VALUE, {"number": number, "comment": comment, "id": row_id})
    return parsed, kept


def parse_answer(code, text):
    """(number, comment) for one old text answer of indicator `code`: the number only when
    the text is a single number (or yes/no for YESNO) within the indicator's range."""
    measure, unit, unit_it, _direction, minimum, maximum = BENCHMARK[code][:6]
    if measure == "yesno":
        answer = YES_NO.get(text.lower())
        return (None, text) if answer is None else (answer, None)
    match = NUMBER.match(text)
    if match is None:
        return None, text
    number = Decimal(match[1].replace(",", "."))
    suffix = match[2]
    fits = (
        number.as_tuple().exponent >= -2
        and (minimum is None or number >= minimum)
        and (maximum is None or number <= maximum)
        and (measure not in ("count", "scale") or number == number.to_integral_value())
        and (suffix != "%" or measure == "percent")
    )
    if not fits:
        return None, text
    units = {"%", (unit or "").lower(), (unit_it or "").lower()}
    plain = suffix is None or suffix.lower() in units
    return number, None if plain else text
