"""Named regex fragments that rules share: written ``(?&name)`` in a rule, spliced in at load.

``key_wrapper``: one call that turns a literal into key bytes and keeps it the key
(``new TextEncoder().encode('...')``, ``Buffer.from('...', 'base64')``, ``JWK.asKey('...')``,
``base64.b64decode('...')``, ``bytes('...', 'utf-8')``, ``[]byte("...")``,
``:base64.encode("...")``, ``Encoding.UTF8.GetBytes("...")``, ``Decoders.BASE64.decode("...")``),
up to and including its opening parenthesis and the blanks after it. A rule that takes a key
argument writes ``(?&key_wrapper)*`` before its literal (``"...".getBytes()`` and
``'...'.encode()`` follow the literal and need nothing). One definition, so a wrapper added
here reaches every such rule.
"""

from __future__ import annotations

import re

FRAGMENTS: dict[str, str] = {
    "key_wrapper": (
        r"(?:(?:new\s+TextEncoder\(\s*\)\.encode"
        r"|(?<![\w$])(?:textEncoder|encoder|enc|te|utf8)\.encode"
        r"|Buffer\.from|JWK\.asKey"
        r"|base64\.(?:urlsafe_|standard_)?b64decode|(?<![\w.])bytes|bytearray"
        r"|\[\]byte|:base64\.(?:en|de)code|Base\.(?:url_)?decode64!?"
        r"|base64_decode|Base64\.(?:strict_|urlsafe_)?decode64"
        r"|(?:System\.Text\.)?Encoding\.(?:UTF8|ASCII|Unicode|UTF32|Default)\.GetBytes"
        r"|(?:System\.)?Convert\.FromBase64String"
        r"|(?:io\.jsonwebtoken\.io\.)?(?:TextCodec|Decoders)\.BASE64(?:URL)?\.(?:en|de)code"
        r"|BaseEncoding\.base64(?:Url)?\(\)\.decode"
        r"|(?:java\.util\.)?Base64\.get(?:Url|Mime)?Decoder\(\)\.decode"
        r"|DatatypeConverter\.parseBase64Binary)\(\s*)"
    ),
}
_USE = re.compile(r"\(\?&(" + "|".join(FRAGMENTS) + r")\)")


def splice(pattern: str) -> str:
    """``pattern`` with every shared fragment written out."""
    return _USE.sub(lambda use: FRAGMENTS[use.group(1)], pattern)
