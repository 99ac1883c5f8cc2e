"""The bookmarklet's code: it runs on the article's page and posts the page as the browser
shows it (address, title, the DOM as HTML, so pages built by scripts clip as the reader saw
them) to ``POST /api/clips`` with a bearer token.

It speaks to the person who clicked it: a page clipped already is a question ("Clip it
again?"), not the API's advice to send ``"again": true``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

# Written out readably; ORIGIN, ENDPOINT and AUTH are replaced by JSON strings, then the
# lines are joined. Every statement ends with ';', so joining cannot change the meaning.
_SOURCE = """
(()=>{
const note=prompt('clipdiary: your note (optional)','');
if(note===null)return;
const say=j=>typeof j.detail==='string'?j.detail:JSON.stringify(j.detail);
const send=again=>fetch(ENDPOINT,{method:'POST',
 headers:{'Authorization':AUTH,'Content-Type':'application/json'},
 body:JSON.stringify({url:location.href,title:document.title,
  html:document.documentElement.outerHTML,note:note,again:again})})
.then(r=>r.json().catch(()=>({detail:'the diary answered HTTP '+r.status}))
.then(j=>{
 if(r.ok){alert('Clipped: '+j.title);return;}
 if(r.status===409&&j.clipped&&!again){
  const where=ORIGIN+j.clipped.url;
  if(confirm('clipdiary: this page is in your diary already: '+j.clipped.title+
   ' ('+where+'). Clip it again?'))send(true);
  return;}
 alert('clipdiary: '+say(j));}))
.catch(e=>alert('clipdiary: could not reach your diary at '+ORIGIN+
 ' (is it running? some sites do not let a page send anything elsewhere): '+e.message));
send(false);
})()
"""

# Characters a javascript: URL may keep as they are; the rest are percent-encoded, so that
# a '%' or a space in the code survives the browser's decoding of the URL unchanged.
_KEEP = "()=>{};:,.'!?&|[]+*-_/"
_PLACEHOLDER = re.compile(r"\b(?:ORIGIN|ENDPOINT|AUTH)\b")


def bookmarklet_code(origin: str, token: str) -> str:
    """The script itself, before it is made a ``javascript:`` URL."""
    origin = origin.rstrip("/")
    values = {
        "ORIGIN": json.dumps(origin),
        "ENDPOINT": json.dumps(origin + "/api/clips"),
        "AUTH": json.dumps("Bearer " + token),
    }
    code = "".join(line.strip() for line in _SOURCE.strip().splitlines())
    # One pass, so a value that happens to hold a placeholder's name stays as it is.
    return _PLACEHOLDER.sub(lambda found: values[found.group(0)], code)


def bookmarklet(origin: str, token: str) -> str:
    """The bookmarklet: a ``javascript:`` URL that clips the page to this diary."""
    return "javascript:" + quote(bookmarklet_code(origin, token), safe=_KEEP)
