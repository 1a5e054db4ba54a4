"""Large JSON documents (the engine states) stored zlib-compressed; the code reads and writes plain strings.

SQLite compresses nothing itself, and PostgreSQL only values over ~2 KB (with pglz, which does about half as
well as zlib on this JSON). A closed complaint's compacted state is ~1.4 KB of JSON, ~760 bytes with plain
zlib and ~440 with the preset dictionary below; a running one's ~10-20 KB compress to ~1.5-3 KB. zlib's
header and Adler-32 checksum make a damaged or truncated value a loud error at read, never an empty or
partial state.
"""

from __future__ import annotations

import zlib

from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

LEVEL = 9  # ~0.1 ms more than the default per 20 KB state, a few % smaller

# A preset dictionary: the JSON skeleton every state repeats (SpiffWorkflow's keys and type names, Minyi's
# start data). Small documents compress much better when their first occurrences are found here. A stream
# names its dictionary by Adler-32 in its header, so these bytes must NEVER change: to improve them, add a
# new dictionary to DICTIONARIES and point WRITE_DICTIONARY at it; old values keep reading with theirs.
STATE_DICTIONARY_1 = (
    b'"typename":"TimerEventDefinition"},"typename":"BpmnEvent"'
    b'"typename":"MessageEventDefinition","name":"'
    b'{"event_definition":{"description":"Terminate","name":null,"typename":"TerminateEventDefinition"},'
    b'"payload":null,"correlations":{},"typename":"BpmnEvent"}],"typename":"BpmnWorkflow","serializer_version":"1.5"'
    b'"case_number":"","category":"complaint","channel":"hotline","received_at":"","department":null,'
    b'"major":false,"rehandled":false,"parties":[],"review_of":null,"review_level":null,"review_reason":null,'
    b'"internal_data":{"event_value":"'
    b'"subprocesses":{},"bpmn_events":[{"event_definition":{"description":"'
    b'","parent":"'
    b'","children":["'
    b'"],"last_state_change":17'
    b',"state":64,"task_spec":"'
    b'","triggered":false,"internal_data":{},"data":{},"delta":{"updates":{},"deletions":[]},"typename":"Task"},"'
    b'{"data":{"case_number":"","category":"","channel":"","received_at":"","department":'
    b'"correlations":{},"last_task":null,"success":true,"completed":true,"tasks":{"'
    b'","parent":null,"children":[],"last_state_change":17'
    b',"state":64,"task_spec":"Start","triggered":false,"internal_data":{},"data":{},"delta":{},"typename":"Task"}},"root":"'
    b'"subprocesses":{},"bpmn_events":[],"typename":"BpmnWorkflow","serializer_version":"1.5","minyi_compacted":true}'
)
DICTIONARIES = {zlib.adler32(STATE_DICTIONARY_1): STATE_DICTIONARY_1}
WRITE_DICTIONARY = STATE_DICTIONARY_1
_FDICT = 0x20  # in the second header byte: a dictionary id follows


class CorruptStoredTextError(Exception):
    """A compressed value that does not decompress: stop rather than go on with nothing or a part of it."""


def compress_text(value: str) -> bytes:
    """UTF-8, then zlib with the preset dictionary."""
    compressor = zlib.compressobj(LEVEL, zdict=WRITE_DICTIONARY)
    return compressor.compress(value.encode("utf-8")) + compressor.flush()


def decompress_text(value: bytes) -> str:
    """The text back; plain zlib streams (as migration 0016 writes them) and dictionary ones alike."""
    data = bytes(value)
    try:
        if len(data) >= 6 and data[1] & _FDICT:
            dictionary_id = int.from_bytes(data[2:6], "big")
            if dictionary_id not in DICTIONARIES:
                raise CorruptStoredTextError(f"compressed with an unknown dictionary {dictionary_id:#010x}")
            decompressor = zlib.decompressobj(zdict=DICTIONARIES[dictionary_id])
        else:
            decompressor = zlib.decompressobj()
        text = decompressor.decompress(data) + decompressor.flush()
        if not decompressor.eof or decompressor.unused_data:
            raise CorruptStoredTextError("truncated, or followed by other bytes")
        return text.decode("utf-8")
    except (zlib.error, UnicodeDecodeError, CorruptStoredTextError) as exc:
        raise CorruptStoredTextError(f"a stored state of {len(data)} bytes does not decompress: {exc}") from exc


class CompressedText(TypeDecorator):
    """A str attribute kept compressed in a binary column (BLOB on SQLite, bytea on PostgreSQL)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else compress_text(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decompress_text(value)
