"""The two formats of GeoReport v2: JSON, and XML with the standard's element names (a list of requests is
<service_requests><request>...</request></service_requests>)."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from flask import Response, jsonify

# characters XML 1.0 does not allow (a text with one would make the whole answer unreadable to every client)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
              "values": "value", "endpoints": "endpoint", "formats": "format"}


def answer(body: Any, fmt: str, root: str, status: int = 200) -> Response:
    """`body` as JSON, or as XML under `root` (a list's items named as the standard names them)."""
    if fmt == "json":
        response = jsonify(body)
    else:
        element = _element(root, body)
        xml = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="utf-8",
                                                                                  xml_declaration=False)
        response = Response(xml, mimetype="text/xml")
    response.status_code = status
    return response


def _element(name: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if isinstance(value, list):
        for item in value:
            element.append(_element(ITEM_NAMES.get(name, "item"), item))
    elif isinstance(value, dict):
        for key, inner in value.items():
            element.append(_element(key, inner))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("\ufffd", str(value))
    return element
