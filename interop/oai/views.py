"""The six OAI-PMH 2.0 verbs. Protocol errors are answered as the protocol defines them:
HTTP 200 with an <error code="..."> element (harvesters read the code, not the status)."""

from datetime import UTC, datetime, timedelta
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import repository, tokens
from .dublin_core import DC, OAI_DC, OAI_DC_SCHEMA, XSI, oai_dc

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
for _prefix, _uri in (("", OAI), ("oai_dc", OAI_DC), ("dc", DC), ("xsi", XSI)):
    register_namespace(_prefix, _uri)

ARGUMENTS = {  # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}
DAY, SECOND = "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ"


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def q(name):
    return f"{{{OAI}}}{name}"


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_size() -> int:
    return getattr(settings, "INTEROP_OAI_PAGE_SIZE", 100)


@csrf_exempt
def endpoint(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    params = request.GET if request.method == "GET" else request.POST
    base_url = request.build_absolute_uri(request.path)
    root = Element(q("OAI-PMH"), {f"{{{XSI}}}schemaLocation": f"{OAI} {OAI_SCHEMA}"})
    SubElement(root, q("responseDate")).text = datestamp(timezone.now())
    request_element = SubElement(root, q("request"))
    request_element.text = base_url
    try:
        verb, args = parse_arguments(params)
        for name, value in [("verb", verb), *sorted(args.items())]:
            request_element.set(name, value)
        root.append(VERBS[verb](request, args))
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()  # the protocol: echo no attributes then
        SubElement(root, q("error"), code=error.code).text = error.message
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        root, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def parse_arguments(params):
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OAIError(
            "badVerb",
            "Verbe absent, répété ou inconnu."
            if len(verbs) != 1
            else f"Verbe inconnu : {verbs[0]}.",
        )
    verb = verbs[0]
    required, optional, exclusive = ARGUMENTS[verb]
    args = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OAIError("badArgument", f"Argument répété : {name}.")
        if name not in required | optional | {exclusive}:
            raise OAIError("badArgument", f"Argument non autorisé pour {verb} : {name}.")
        args[name] = values[0]
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", f"{exclusive} s'emploie seul.")
        return verb, args
    missing = required - set(args)
    if missing:
        raise OAIError(
            "badArgument", f"Argument obligatoire absent : {', '.join(sorted(missing))}."
        )
    return verb, args


def identify(request, args):
    element = Element(q("Identify"))
    earliest = repository.earliest_datestamp() or timezone.now()
    for name, text in [
        ("repositoryName", "Réseau national des centres de ressources politique de la ville"),
        ("baseURL", request.build_absolute_uri(request.path)),
        ("protocolVersion", "2.0"),
        *[
            ("adminEmail", email)
            for email in getattr(
                settings, "INTEROP_OAI_ADMIN_EMAILS", [settings.DEFAULT_FROM_EMAIL]
            )
        ],
        ("earliestDatestamp", datestamp(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", SECOND),
    ]:
        SubElement(element, q(name)).text = text
    return element


def list_metadata_formats(request, args):
    if "identifier" in args:
        require_entry(args["identifier"])
    element = Element(q("ListMetadataFormats"))
    metadata_format = SubElement(element, q("metadataFormat"))
    SubElement(metadata_format, q("metadataPrefix")).text = "oai_dc"
    SubElement(metadata_format, q("schema")).text = OAI_DC_SCHEMA
    SubElement(metadata_format, q("metadataNamespace")).text = OAI_DC
    return element


def list_sets(request, args):
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "La liste des ensembles tient en une réponse.")
    element = Element(q("ListSets"))
    for spec, name in repository.all_sets():
        set_element = SubElement(element, q("set"))
        SubElement(set_element, q("setSpec")).text = spec
        SubElement(set_element, q("setName")).text = name
    return element


def require_prefix(prefix):
    if prefix != "oai_dc":
        raise OAIError(
            "cannotDisseminateFormat", f"Format non diffusé : {prefix} (seul oai_dc l'est)."
        )


def require_entry(oai_identifier):
    page_id = repository.page_id_of(oai_identifier)
    entry = repository.entry_for(page_id) if page_id is not None else None
    if entry is None:
        raise OAIError("idDoesNotExist", f"Identifiant inconnu : {oai_identifier}.")
    return entry


def get_record(request, args):
    require_prefix(args["metadataPrefix"])
    element = Element(q("GetRecord"))
    element.append(record(require_entry(args["identifier"]), request, with_metadata=True))
    return element


def widen(moment: datetime, step: timedelta) -> datetime:
    """The end of `moment`'s day or second; the last one there is (9999-12-31) has no
    day after it: its end is the end of time."""
    try:
        return moment + step
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def parse_date(value, bound):
    """(instant, granularity); `until` dates are widened to the end of their day/second."""
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return (widen(day, timedelta(days=1)) if bound == "until" else day), DAY
        if len(value) == 20 and value.endswith("Z"):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (widen(moment, timedelta(seconds=1)) if bound == "until" else moment), SECOND
    except ValueError:
        pass
    raise OAIError(
        "badArgument", f"Date invalide pour {bound} : {value} (attendu {DAY} ou {SECOND})."
    )


def window_from(args) -> repository.Window:
    start = end = None
    granularities = set()
    if "from" in args:
        start, granularity = parse_date(args["from"], "from")
        granularities.add(granularity)
    if "until" in args:
        end, granularity = parse_date(args["until"], "until")
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OAIError("badArgument", "from et until doivent avoir la même granularité.")
    if start and end and start >= end:
        raise OAIError("badArgument", "from est postérieur à until.")
    spec = args.get("set")
    if spec and not repository.set_exists(spec):
        raise OAIError("noRecordsMatch", f"Ensemble inconnu : {spec}.")
    return repository.Window(start, end, spec)


def list_entries(request, args, verb):
    if "resumptionToken" in args:
        try:
            state = tokens.load(args["resumptionToken"], verb)
        except tokens.BadToken as error:
            raise OAIError("badResumptionToken", "Jeton de reprise invalide ou altéré.") from error
        prefix, cursor = state["m"], state["c"]
        window = repository.Window(state["f"], state["u"], state["s"])
        after = (state["d"], state["k"])
    else:
        prefix, cursor, after = args["metadataPrefix"], 0, None
        require_prefix(prefix)
        window = window_from(args)
        # Frozen for the whole harvest: what changes meanwhile is for the next harvest.
        if window.end is None:
            window = repository.Window(window.start, timezone.now(), window.spec)
    size = page_size()
    batch = repository.entries(window, after, size + 1)
    if not batch and after is None:
        raise OAIError("noRecordsMatch", "Aucun enregistrement ne correspond à la demande.")
    more, batch = len(batch) > size, batch[:size]
    element = Element(q(verb))
    for entry in batch:
        if verb == "ListRecords":
            element.append(record(entry, request, with_metadata=True))
        else:
            element.append(header(entry))
    if after is not None or more:
        attributes = {"cursor": str(cursor), "completeListSize": str(repository.count(window))}
        token = SubElement(element, q("resumptionToken"), attributes)
        if more:  # the last response of a list carries an empty token
            last = batch[-1]
            token.text = tokens.dump(
                verb=verb,
                prefix=prefix,
                spec=window.spec,
                start=window.start,
                end=window.end,
                last_stamp=last.datestamp,
                last_id=last.page_id,
                cursor=cursor + len(batch),
            )
    return element


def header(entry) -> Element:
    element = Element(q("header"), {"status": "deleted"} if entry.deleted else {})
    SubElement(element, q("identifier")).text = repository.identifier(entry.page_id)
    SubElement(element, q("datestamp")).text = datestamp(entry.datestamp)
    specs = entry.set_specs if entry.deleted else repository.set_specs_of(entry.page)
    for spec in specs:
        SubElement(element, q("setSpec")).text = spec
    return element


def record(entry, request, *, with_metadata) -> Element:
    element = Element(q("record"))
    element.append(header(entry))
    if with_metadata and not entry.deleted:
        SubElement(element, q("metadata")).append(oai_dc(entry.page, request))
    return element


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": lambda request, args: list_entries(request, args, "ListIdentifiers"),
    "ListRecords": lambda request, args: list_entries(request, args, "ListRecords"),
    "GetRecord": get_record,
}
