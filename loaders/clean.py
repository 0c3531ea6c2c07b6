"""Remove scraped page noise from an article's text, line by line, by general signals.

What users feed aigeo is scraped text: the article plus the page around it. Lines that are not the
article (promotions, teasers for other stories, comment forms, tag lists, credits, footers) name
unrelated people and firms, so they must go before entity extraction. No rule here matches one
site's exact strings; each looks at the *shape* of a line and where it sits:

Features of a line
    word count; whether it ends a sentence (".", "!", "?", optionally inside quotes or brackets;
    an ellipsis does not count); its Title-Case ratio (capitalised words among words other than
    short function words); a short "Label:" prefix; keyword and second-person density; whether it
    is made of interface words only; glued CamelCase runs; its position relative to the body.

The body
    A *real paragraph* ends a sentence and has at least eight words. The *head* is what comes before
    the first real paragraph (title, breadcrumbs, placeholders); the *tail* is what follows the last
    real paragraph.

Rules (a line goes when one says so; `CleanResult.removed` and `.reasons` record each removal)
    placeholder   a line of at most three words ending in an ellipsis ("Loading..."), or one made
                  only of page-interface words ("Advertisement", "Share", "Read more", "5 min read",
                  "No posts to display").
    link          a line that is mostly a URL or an e-mail address.
    notice        cookie, consent, JavaScript, browser and ad-blocker notices.
    author-note   an opinion writer's note ("<Name> is a fellow at ... The views expressed are his
                  own"): the author is no actor in the story.
    masthead      a newsletter's "A weekly newsletter from X", "<Title> is written by A, with
                  research by B", and the publisher's postal address line.
    comment-form  second-person form prompts: enter/leave/post your comment, name or e-mail;
                  "required fields", "logged in to comment", form field labels.
    promo         a call to action: an imperative verb at a clause start ("Join ...", "...; register
                  today") or a second-person address or a closing "here", *and* at least two
                  promotion keywords (register, subscribe, sign up, join, free, discount, offer,
                  today, now, newsletter ...) counting the call itself. Reporting verbs ("said",
                  "told", "according to") veto it: that is news about an offer, not an offer.
    teaser        "Label: headline" where the label is one to four words and the rest has no
                  sentence structure. Labels built from reading words (read, see, also, related,
                  more, next, watch ...) are teasers anywhere; other Title-Case labels of at most
                  three words only outside the head (there, "Exclusive: ..." is the title) and only
                  when the rest is Title-Case like a headline.
    tag-list      "Tags:", "Posted in:", "Filed under:", "Topics:" ... labels; runs of words glued
                  together in CamelCase ("NewsTechChinaStories"); lines of hashtags.
    credit        short lines starting with an image/photo/illustration word and a credit marker
                  ("Image via X", "Photo: X", "Image credit: X", "Photo by X on Y"), or an agency
                  name before it ("(AP Photo/X)").
    byline        short lines starting "By <Names>" without a final period, "Written/Reported/
                  Edited by", "(Reporting by ...; Editing by ...)", "Author:", and notes about the
                  article itself ("This story was generated using ... and edited by ...", "This
                  article first appeared on ...").
    footer        copyright and "All rights reserved"; short unpunctuated lines with "brought to
                  you by", "powered by", "data provided by"; "quotes delayed"; lines of ticker
                  symbols and prices.
    timestamp     a line holding only a date or time, optionally after "Published"/"Updated".
    breadcrumb    in the head: a line of short segments joined by ">", "/", "|" or "»"; or a first
                  line that is a few short menu words followed by exactly the next line (the title).
    dateline      the first real paragraph loses a leading dateline ("BEIJING (Reuters) - ",
                  "NEW DELHI, May 2 — "): only the prefix goes, the paragraph stays. The city in
                  capitals would otherwise read as an actor, the agency as a source.
    duplicate     a line repeated verbatim: the first copy stays.
    trailing      after the last real paragraph: lines of at most fifteen words that do not end a
                  sentence ("Comments", "No posts to display", an outlet's slogan), and, once a
                  rule removed a line there (the footer began), any line of at most fifteen words.
                  Sub-headings are safe: they precede real paragraphs, so they are never in the
                  tail; a short closing sentence right after the last paragraph stays.

Real paragraphs are never cut; a line is kept or removed whole. Whitespace is normalised (no-break
and zero-width spaces, runs of blanks, at most one empty line between paragraphs); typographic quotes
and dashes are kept. Cleaning is idempotent: cleaning cleaned text changes nothing. Character offsets
computed later are offsets into `CleanResult.text`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.names import name_key

__all__ = ["CleanResult", "clean_text"]


@dataclass
class CleanResult:
    """The cleaned text and what was taken out of it.

    `removed` holds the removed lines in document order; `reasons[i]` names the rule that removed
    `removed[i]` (for debugging and for tests).
    """

    text: str
    removed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


# --- features -------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_][\w'’\-.&]*|\d[\d,.:%$€£]*", re.UNICODE)
_ALPHA_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or per the to via vs with is are be its it's".split()
)
_CLOSERS = "\"'”’»)]*"
_LABEL = re.compile(r"^([^\W\d_][\w'’\-&]*(?:\s+[\w'’\-&]+){0,3})\s*:\s+(\S.*)$")


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " ")
    if stripped.endswith(("...", "…")):
        return False
    return stripped.endswith((".", "!", "?"))


def _title_ratio(text: str) -> float:
    """Share of capitalised words among the words that are not short function words."""
    words = [w for w in _ALPHA_WORD.findall(text) if w.lower() not in _SMALL_WORDS]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def _is_real_paragraph(line: str) -> bool:
    return _ends_sentence(line) and len(_words(line)) >= 8


# --- rules: each takes the line and returns True to remove it --------------------------------------

# Words of page furniture: menus, share bars, widgets. A short line made only of these is never prose.
_UI_WORDS = frozenset(
    """
    advertisement advertisements advert ad ads sponsored promoted loading please wait share shares shared
    tweet print email e-mail mail facebook twitter x linkedin whatsapp reddit telegram pinterest threads
    copy link links comments comment reply replies menu search close skip to content main navigation
    toggle subscribe subscribed login log in out sign up register more read next previous prev back top
    show hide related articles article stories story posts post no display found yet home news continue
    reading scroll view all see also listen watch video videos audio podcast min mins minute minutes
    follow us on the this a of and or cookie cookies accept settings privacy policy terms use contact
    about advertise newsletter newsletters javascript enable enabled disabled browser trending popular
    latest most recommended for you your image images gallery photo photos click here save saved
    bookmark gift free now join open expand collapse print-friendly pdf download app feedback like
    above below
    """.split()
)
_NUMBERISH = re.compile(r"^[\d,.:%()+\-/#]+$")


def _is_placeholder(line: str, words: list[str]) -> bool:
    if len(words) <= 3 and line.rstrip(" )]").endswith(("...", "…")):
        return True
    alpha = [w.lower().strip(".'’") for w in words if not _NUMBERISH.match(w)]
    if not alpha or len(words) > 8:
        return False
    return all(w in _UI_WORDS for w in alpha)


_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b", re.I)


def _is_link(line: str) -> bool:
    linked = sum(len(m.group(0)) for m in _URL.finditer(line))
    return linked > 0 and linked >= 0.5 * len(line.replace(" ", ""))


_COMMENT_FORM = re.compile(
    r"\b(?:post|submit|add|leave|write|enter|cancel|type)\s+(?:a|your|the)?\s*"
    r"(?:comment|reply|response|name|e-?mail(?: address)?|website|message)s?\b"
    r"|\byour e-?mail(?: address)? will not be published\b"
    r"|\brequired fields are marked\b"
    r"|\bsave my name\b"
    r"|\b(?:logged|log|sign(?:ed)?) in to (?:post|comment|reply|leave|join)\b"
    r"|\bnotify me of (?:follow-up|new) (?:comments|posts)\b"
    r"|\bbe the first to comment\b"
    r"|\b(?:hit|click|press|tap)\s+(?:post|submit|send|publish)\b"
    r"|^(?:your\s+)?(?:name|e-?mail|website|comment|message)\s*(?:\*+|\([^)]{0,40}\))?\s*$",
    re.I,
)


_NOTICE = re.compile(
    r"\b(?:we|this (?:site|website)) uses? cookies\b|\bcookies?\b.*\b(?:consent|agree|accept)\w*\b"
    r"|\b(?:enable|turn on) javascript\b|\bjavascript (?:is )?(?:disabled|required|turned off)\b"
    r"|\byour browser (?:does not|doesn't|is not|isn't) support\w*\b|\bbrowser is out of date\b"
    r"|\bad ?blocker\b|\bwhitelist (?:us|our site)\b",
    re.I,
)


def _is_notice(line: str, words: list[str]) -> bool:
    return len(words) <= 40 and _NOTICE.search(line) is not None


# An opinion piece's author note: "<Name> is a ... fellow at ... The views expressed are his own."
_AUTHOR_NOTE = re.compile(
    r"\b(?:the )?(?:views|opinions) (?:expressed )?(?:here |in this (?:article|column|piece) )?"
    r"(?:are|is) (?:(?:his|her|their|the author'?s|the writer'?s) own|those of the author)"
    r"|\bdo(?:es)? not necessarily reflect (?:the )?(?:views|position)",
    re.I,
)


def _is_author_note(line: str, words: list[str]) -> bool:
    return len(words) <= 60 and _AUTHOR_NOTE.search(line) is not None


# The writer's box: "Jane Roe is a contributing writer at The Daily Chip. She has covered ...", and
# the title line under the writer's name ("Senior Editor").
_WRITER_ROLE = (
    r"(?:(?:contributing|staff|senior|freelance|technology|tech|business|news|associate|deputy|chief|"
    r"managing|executive|science|political|foreign|special)\s+){0,2}"
    r"(?:writer|editor|reporter|correspondent|journalist|contributor|columnist)"
)
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} is an? " + _WRITER_ROLE + r"\b.{0,40}\b(?:at|for|with)\b",
)
_WRITER_TITLE = re.compile(r"^" + _WRITER_ROLE + r"$", re.I)


def _is_author_bio(line: str, words: list[str]) -> bool:
    return len(words) <= 80 and (
        _AUTHOR_BIO.search(line) is not None or _WRITER_TITLE.match(line) is not None
    )


# Buttons asking the reader to follow the outlet somewhere: "Follow The Daily Chip on Google News",
# "Add us as a preferred source on Google".
_FOLLOW = re.compile(
    r"\b(?:follow|add)\b.{0,50}\bon "
    r"(?:google(?: news)?|x|twitter|facebook|linkedin|threads|bluesky|whatsapp)\b|\bpreferred source\b",
    re.I,
)


def _mark_writer_names(candidates: list[tuple[int, str]], removed: dict[int, str]) -> None:
    """The writer's name on the line just above a writer-title line ("Jane Roe" / "Staff Writer")."""
    for (i, line), (_, nxt) in zip(candidates, candidates[1:], strict=False):
        if i in removed or _WRITER_TITLE.match(nxt) is None:
            continue
        words = line.split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _ends_sentence(line):
            removed[i] = "author-bio"


def _is_follow_button(line: str, words: list[str]) -> bool:
    return len(words) <= 40 and _FOLLOW.search(line) is not None


# A newsletter's masthead and sign-off: "A weekly newsletter from X", "The Ledger is written by A,
# with research by B", and the publisher's postal address ("1101 K Street NW, Suite 600 · ...").
_MASTHEAD = re.compile(
    r"^(?i:an? (?:daily|weekly|fortnightly|monthly|twice-weekly) (?:newsletter|briefing|digest|bulletin)"
    r" (?:from|by))\b"
    r"|^(?:(?i:this (?:newsletter|briefing|digest))|The [A-Z][\w&' ]{1,40}) is (?:written|edited|produced|"
    r"compiled|curated) by [A-Z][a-z]+ [A-Z][a-z]+",
)
_POSTAL = re.compile(r"\b\d{1,5} [A-Z][A-Za-z]* (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd)\b.*\b\d{5}\b")


def _is_masthead(line: str, words: list[str]) -> bool:
    if len(words) > 30:
        return False
    return _MASTHEAD.search(line) is not None or _POSTAL.search(line) is not None


def _is_comment_form(line: str, words: list[str]) -> bool:
    return len(words) <= 30 and _COMMENT_FORM.search(line) is not None


_CTA_VERBS = frozenset(
    """
    join register subscribe sign signup click tap get download try start claim grab follow learn discover
    apply enroll enrol book reserve buy shop trade invest unlock upgrade become save check visit call
    contact watch listen explore support donate enter win order install access
    """.split()
)
_PROMO_KEYWORDS = re.compile(
    r"\bregist\w*|\bsubscri\w*|\bsign(?:ing)?[ -]?up\b|\bjoin\w*|\bfree\b|\bdiscount\w*|\bearly[ -]bird\b"
    r"|\bcoupon\w*|\bpromo\w*|\boffers?\b|\blimited[ -]time\b|\btrial\b|\bpremium\b|\bmembership\b"
    r"|\bnewsletters?\b|\bwebinars?\b|\bmasterclass\w*|\bcourses?\b|\benrol\w*|\btickets?\b|\btoday\b"
    r"|\bnow\b|\bclick\w*|\bdeals?\b|\d+\s?% off\b|\balerts?\b|\bdonat\w*|\bunlock\w*|\bupgrade\b"
    r"|\bfollow us\b|\bdon'?t miss\b|\bunlimited\b|\bcancel any ?time\b|\bad-free\b"
    r"|[$€£]\s?\d+(?:\.\d+)?\s*(?:a|per|/)\s*(?:week|month|year)\b",
    re.I,
)
_CLAUSE_START = re.compile(r"(?:^|[;:.!?]\s+|\s[–—-]\s+)[\"“‘']?(?:please\s+)?([A-Za-z']+)", re.I)
# The outlet addressing its reader: "you", or "our" newsletter, events, coverage.
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|our)\b", re.I)
_ENDS_HERE = re.compile(r"\bhere\W*$", re.I)
_REPORTING = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|stated|wrote|added|noted)\b", re.I
)


def _is_promo(line: str, words: list[str]) -> bool:
    if len(words) > 40 or _REPORTING.search(line):
        return False
    imperative = any(m.group(1).lower() in _CTA_VERBS for m in _CLAUSE_START.finditer(line))
    addressed = _SECOND_PERSON.search(line) is not None
    ends_here = _ENDS_HERE.search(line) is not None
    if not (imperative or addressed or ends_here):
        return False
    score = len(_PROMO_KEYWORDS.findall(line)) + imperative + ends_here
    return score >= 3 if not imperative and not ends_here else score >= 2


# A teaser label says "go and read something else"; one of these words must be in it ...
_TEASER_LABEL_WORDS = frozenset(
    """
    read see also related more next recommended trending popular watch listen miss explore latest
    further suggested must top recommend picks missed
    """.split()
)
# ... and every other word must be one of these, so "More than 40 firms: ..." is not a teaser.
_TEASER_FILLER_WORDS = _TEASER_LABEL_WORDS | frozenset(
    """
    the this to you may like don't dont do not stories story articles article news on from us our reading
    coverage video videos links link content posts post in it up editor's editors' for
    """.split()
)
_TAG_LABELS = frozenset(
    [
        "posted in", "posted under", "tags", "tag", "tagged", "tagged with", "tagged in", "filed under",
        "filed in", "topics", "topic", "categories", "category", "keywords", "related topics", "sections",
        "subjects", "more about", "more on", "labels",
    ]
)  # fmt: skip


def _split_label(line: str) -> tuple[str, str] | None:
    match = _LABEL.match(line)
    if match is None:
        return None
    return match.group(1).strip(), match.group(2).strip()


def _has_sentence_structure(text: str) -> bool:
    """A clause rather than a headline: ends a sentence and reads in sentence case."""
    return _ends_sentence(text) and len(_words(text)) >= 6 and _title_ratio(text) < 0.5


def _is_teaser(line: str, in_head: bool) -> bool:
    split = _split_label(line)
    if split is None:
        return False
    label, rest = split
    label_words = [w.lower().strip(".") for w in label.split()]
    if " ".join(label_words) in _TAG_LABELS:
        return False  # the tag-list rule owns these
    rest_words = _words(rest)
    if any(w in _TEASER_LABEL_WORDS for w in label_words) and all(
        w in _TEASER_FILLER_WORDS for w in label_words
    ):
        return len(rest_words) <= 40 and not _has_sentence_structure(rest)
    if in_head or len(label_words) > 3 or _title_ratio(label) < 1.0:
        return False
    return 3 <= len(rest_words) <= 30 and not _ends_sentence(rest) and _title_ratio(rest) >= 0.6


_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")
_HASHTAG = re.compile(r"(?:^|\s)#\w+")


def _is_tag_list(line: str, words: list[str]) -> bool:
    split = _split_label(line)
    if split is not None:
        label, rest = split
        if label.lower() in _TAG_LABELS and not _has_sentence_structure(rest):
            return True
    if _ends_sentence(line):
        return False
    # "NewsGlobalTechChina": three or more case joins inside one token is a glued run of tags, not a
    # brand ("OpenAI", "DeepMind" and "SenseTime" have one).
    if any(len(_CAMEL_JOIN.findall(token)) >= 3 for token in line.split()):
        return True
    hashtags = len(_HASHTAG.findall(line))
    return hashtags >= 2 and hashtags >= 0.5 * len(line.split())


_CREDIT = re.compile(
    r"^[(\[]?\s*(?:(?:featured|header|cover|lead|top|main|hero|source)\s+)?"
    r"(?:image|photo|photograph|picture|pic|illustration|graphic|video|screenshot|thumbnail|credit)s?"
    r"(?:\s+(?:credits?|courtesy|source|illustration))?\s*"
    r"(?:(?P<mark>:|©|\||\bcourtesy of\b)|\b(?:via|by|from)\b)",
    re.I,
)
# "(AP Photo/Jane Doe)", "Reuters Pictures: ...": an agency name, then the picture word and a slash.
_AGENCY_PHOTO = re.compile(
    r"^[(\[]?\s*(?:[A-Z][\w&.]*\s+){1,3}(?i:photo|image|picture|illustration|video)s?\s*(?:/|:)"
)


# A credit glued to the line's last word when the page was scraped: "... exports to ChinaSource:
# Shutterstock" (the caption "Source: Shutterstock" ran into the headline).
_GLUED_CREDIT = re.compile(
    r"(?<=[a-z0-9.])(?:Source|Photo|Image|Picture|Photograph|Credit|Illustration)s?(?: credit)?:"
    r"\s*[\w .,&'’/-]{2,60}$"
)


def cut_glued_credit(line: str) -> str:
    """A line without the picture credit scraped onto its end.

    >>> cut_glued_credit("Japan curbs chip gear exports to ChinaSource: Stockphotos")
    'Japan curbs chip gear exports to China'
    >>> cut_glued_credit("The Open Source: a history")
    'The Open Source: a history'
    """
    return _GLUED_CREDIT.sub("", line)


def _is_credit(line: str, words: list[str]) -> bool:
    if len(words) > 15:
        return False
    if _AGENCY_PHOTO.match(line) and not _ends_sentence(line):
        return True
    match = _CREDIT.match(line)
    if match is None:
        return False
    # "Photo: X" is a credit whatever follows; "Pictures from the summit show ..." may be prose.
    return match.group("mark") is not None or not _ends_sentence(line) or len(words) <= 6


_MONTHS_RE = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august"
    "|september|october|november|december"
)
_BYLINE_START = re.compile(
    r"^[(\[]?\s*(?:by|written by|reported by|words by|story by|edited by|compiled by|"
    r"authors?\s*:|contributors?\s*:|reporter\s*:|editor\s*:)\s+(.+)$",
    re.I,
)
_AGENCY_CREDIT = re.compile(
    r"^[(\[]?\s*(?:additional\s+)?(?:reporting|writing|editing|research|compiled)\s+by\b", re.I
)
_ARTICLE_NOTE = re.compile(
    r"^(?:this|the above|the following)\s+(?:story|article|post|piece|content|summary|text)\s+"
    r"(?:was|has been|is|were|first|originally|may have been)\b.*\b(?:generated|written|produced|created|"
    r"edited|updated|published|appeared|translated|automated|syndicated|reviewed|assisted|corrected)\b",
    re.I,
)
_BYLINE_SEPARATOR = re.compile(r"\s+[·•|—–]\s+|\s*\|\s*")
_NAME_CONNECTORS = frozenset(
    {"and", "&", "|", "in", "de", "van", "von", "der", "da", "al", "bin", "la", "le"}
)


# "Posted on May 9, 2024 by Jane Roe · 5 min read", "Updated 2h ago | by Jane Roe": a "by <Name>" after
# other metadata, with a date or a reading time somewhere in the same short line.
_BY_NAME = re.compile(r"(?:^|[\s·•|—–,(])(?:by|By|BY)\s+[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}")
_DATE = re.compile(
    rf"\b(?:{_MONTHS_RE})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{_MONTHS_RE})\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d+\s*(?:h|hrs?|hours?|m|mins?|minutes?|d|days?)\s+ago\b",
    re.I,
)
_READING_TIME = re.compile(r"\b\d+\s*(?:min|mins|minute|minutes)\s+read\b", re.I)
# What separates a byline's parts, or says the line is about the posting itself.
_METADATA_MARK = re.compile(r"[·•|]|\b(?:posted|published|updated|written|filed)\b", re.I)


def _is_byline(line: str, words: list[str]) -> bool:
    return _is_byline_credit(line, words) or _is_by_names(line, words)


def _is_byline_credit(line: str, words: list[str]) -> bool:
    """An agency credit, an article note, or "by" a name with a reading time or a marked date.

    A headline can hold "by Congress" and a date; only metadata adds a reading time, a separator
    or "Posted"/"Updated" around them.
    """
    if len(words) <= 40 and (_AGENCY_CREDIT.match(line) or _ARTICLE_NOTE.match(line)):
        return True
    if len(words) > 18 or _ends_sentence(line) or not _BY_NAME.search(line):
        return False
    return bool(_READING_TIME.search(line) or (_DATE.search(line) and _METADATA_MARK.search(line)))


def _is_by_names(line: str, words: list[str]) -> bool:
    """ "By" followed by names (capitalised), connectors, dates and outlet names, never a clause.

    "By Friday, the ministry had ..." ends with a period and is not caught. Bylines often chain the
    date and a reading time after a separator ("By A · May 2 · 5 min read"): only the first segment
    has to be names, the others must stay short.
    """
    match = _BYLINE_START.match(line)
    if match is None or len(words) > 15 or _ends_sentence(line.rstrip(")]")):
        return False
    first, *others = _BYLINE_SEPARATOR.split(match.group(1))
    if any(len(seg.split()) > 6 for seg in others):
        return False
    rest = [w for w in _ALPHA_WORD.findall(first) if w.lower() not in _NAME_CONNECTORS]
    return bool(rest) and _title_ratio(" ".join(rest)) >= 0.75


_FOOTER = re.compile(
    r"^(?:©|\(c\)\s*\d|copyright\s*(?:©|\(c\)|\d{4}|by\b))|\ball rights reserved\b"
    r"|\bquotes? (?:are |is )?delayed\b",
    re.I,
)
_SPONSOR = re.compile(
    r"\b(?:brought to you by|powered by|sponsored by|presented by|(?:data|content|quotes) provided by|"
    r"in partnership with)\b",
    re.I,
)
_TICKER_TOKEN = re.compile(
    r"^(?:[A-Z]{1,5}(?:\.[A-Z]{1,2})?:?|\d{3,6}\.[A-Z]{1,2}|[+\-−]?[$€£]?\d[\d,.]*%?|[▲▼△▽↑↓+\-−]"
    r"|\(?[+\-−]?\d[\d,.]*%?\)?)$"
)
# Market arrows: two or more in a short unpunctuated line make it a quote strip ("Tencent ▲ 1.2%").
_ARROWS = re.compile(r"[▲▼△▽↑↓]")


def _is_footer(line: str, words: list[str]) -> bool:
    if len(words) <= 30 and _FOOTER.search(line):
        return True
    if len(words) <= 15 and not _ends_sentence(line) and _SPONSOR.search(line):
        return True
    tokens = line.split()
    if len(tokens) >= 2 and not _ends_sentence(line):
        if len(_ARROWS.findall(line)) >= 2 and len(words) <= 30:
            return True
        tickers = sum(1 for t in tokens if _TICKER_TOKEN.match(t))
        has_number = any(ch.isdigit() for ch in line)
        return has_number and tickers == len(tokens)
    return False


_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august"
    "|september|october|november|december"
)
_DAYS = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIMESTAMP_TOKEN = re.compile(
    rf"^(?:{_MONTHS}|{_DAYS}|published|updated|posted|last|on|at|date|am|pm|a\.m|p\.m|utc|gmt|[a-z]{{2,4}}t"
    r"|\d[\d:/.\-,]*|th|st|nd|rd|ago|hours?|hrs?|mins?|minutes?|days?|read)\.?$",
    re.I,
)


def _is_timestamp(line: str, words: list[str]) -> bool:
    if not words or len(words) > 10 or not any(ch.isdigit() for ch in line):
        return False
    tokens = [t for t in re.split(r"[\s,|·•:]+", line) if t and t not in {"-", "–", "—"}]
    return all(_TIMESTAMP_TOKEN.match(t) for t in tokens)


_BREADCRUMB_SEPARATORS = re.compile(r"\s(?:>|»|›|/|\||→|::)\s")


def _is_separator_breadcrumb(line: str) -> bool:
    segments = _BREADCRUMB_SEPARATORS.split(line)
    if len(segments) < 3:
        return False
    return all(1 <= len(segment.split()) <= 4 for segment in segments[:-1])


def _is_menu_prefix(prefix: str) -> bool:
    """A run of a few short capitalised menu words ("Home Community Insights")."""
    tokens = prefix.split()
    return 1 <= len(tokens) <= 5 and all(len(t) <= 14 and (t[0].isupper() or t[0].isdigit()) for t in tokens)


# "BEIJING (Reuters) - ", "SAN FRANCISCO, June 3 (AP) — ", "NEW DELHI: ": the city in capitals, an
# optional date and agency, then a dash or colon. The city would otherwise read as an actor (capitals
# stand for their governments) and the agency as a source of the news.
_DATELINE = re.compile(
    r"^(?P<prefix>(?P<city>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){0,3})"
    r"(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)??"
    r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&\-]{0,30})\))?"
    r"\s*(?:-{1,2}|–|—|:)\s+)(?P<rest>\S.*)$"
)


def _split_dateline(line: str) -> tuple[str, str] | None:
    """(dateline, rest) when the line opens with a dateline and the rest is still a paragraph."""
    match = _DATELINE.match(line)
    if match is None:
        return None
    letters = sum(ch.isalpha() for ch in match.group("city"))
    rest = match.group("rest")
    if (letters < 4 and match.group("agency") is None) or not _is_real_paragraph(rest):
        return None
    if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'"):
        return None  # "NATO — the alliance ..." is a sentence, not a dateline
    return match.group("prefix").strip(), rest


# --- the cleaner ----------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\f\v]+")

LineRule = Callable[[str, list[str]], bool]
_LINE_RULES: tuple[tuple[str, LineRule], ...] = (
    ("placeholder", _is_placeholder),
    ("link", lambda line, words: _is_link(line)),
    ("comment-form", _is_comment_form),
    ("notice", _is_notice),
    ("author-note", _is_author_note),
    ("author-bio", _is_author_bio),
    ("follow", _is_follow_button),
    ("masthead", _is_masthead),
    ("promo", _is_promo),
    ("tag-list", _is_tag_list),
    ("credit", _is_credit),
    ("byline", _is_byline),
    ("footer", _is_footer),
    ("timestamp", _is_timestamp),
)
_TRAILING_MAX_WORDS = 15


def normalise_whitespace(text: str) -> str:
    """NFC, one kind of newline, no invisible characters, single spaces, stripped lines.

    Example:
        >>> normalise_whitespace("A\\u00a0 b\\u200b\\r\\n  c ")
        'A b\\nc'
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def clean_text(text: str) -> CleanResult:
    """Remove scraped boilerplate lines and normalise whitespace; see the module docstring.

    Example:
        >>> result = clean_text(
        ...     "Loading...\\nChip Curbs Widen\\n\\nThe Commerce Department widened its export "
        ...     "controls on Tuesday.\\n\\nRead Next: Ten Stocks To Watch\\n\\nSmart money daily"
        ... )
        >>> result.text
        'Chip Curbs Widen\\n\\nThe Commerce Department widened its export controls on Tuesday.'
        >>> result.reasons
        ['placeholder', 'teaser', 'trailing']
    """
    lines = [cut_glued_credit(line) for line in normalise_whitespace(text).split("\n")]
    # Each kept candidate: (index in `lines`, text). Blank lines only matter for paragraph breaks.
    candidates = [(i, line) for i, line in enumerate(lines) if line]
    words_of = {i: _words(line) for i, line in candidates}
    removed: dict[int, str] = {}

    for i, line in candidates:
        for reason, rule in _LINE_RULES:
            if rule(line, words_of[i]):
                removed[i] = reason
                break

    def kept() -> list[tuple[int, str]]:
        return [(i, line) for i, line in candidates if i not in removed]

    _mark_teasers(kept(), removed)
    # A teaser can look like a paragraph; the body starts at the first paragraph that survived.
    first_body = _first_paragraph(kept())
    _mark_breadcrumbs(kept(), first_body, removed)

    trimmed: dict[int, str] = {}
    if first_body is not None:
        dateline = _split_dateline(lines[first_body])
        if dateline is not None:
            trimmed[first_body], lines[first_body] = dateline

    _mark_duplicates(kept(), removed)
    _mark_writer_names(candidates, removed)
    _mark_sections(candidates, words_of, removed)
    _mark_trailing(candidates, words_of, removed)

    return _assemble(lines, removed, trimmed)


def _first_paragraph(kept: list[tuple[int, str]]) -> int | None:
    return next((i for i, line in kept if _is_real_paragraph(line)), None)


def _mark_teasers(kept: list[tuple[int, str]], removed: dict[int, str]) -> None:
    first_body = _first_paragraph(kept)
    for i, line in kept:
        if _is_teaser(line, first_body is None or i < first_body):
            removed[i] = "teaser"


def _mark_duplicates(kept: list[tuple[int, str]], removed: dict[int, str]) -> None:
    seen: set[str] = set()
    for i, line in kept:
        if line in seen:
            removed[i] = "duplicate"
        seen.add(line)


# A heading that opens a list of other stories ("Reading list", "More from X", "Related articles").
_LIST_HEADING = re.compile(
    r"^(?:the\s+)?(?:reading list|related(?:\s+[\w'’]+)?|also read|read (?:more|also|next)|"
    r"more (?:from|on|stories|news|reading|to read|like this)\b.*|you (?:may|might) (?:also )?like|"
    r"recommended(?:\s+(?:for you|reading|stories))?|"
    r"further reading|what to read next|(?:most|also) (?:read|popular|viewed|shared)|trending(?: now)?|"
    r"editor'?s'? picks|top stories|latest (?:news|stories)|elsewhere(?: on [\w .]+)?|in other news)"
    r"\s*:?$",
    re.I,
)
# A heading that opens the readers' comments: everything after it is the readers', not the story's.
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+(?:thoughts?|comments?|responses?|replies|reactions?)\s+(?:on|to)\b.*"
    r"|(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|discussion)\s*(?:\(\d+\))?:?"
    r"|(?:join|start) the (?:conversation|discussion)|leave a (?:reply|comment)|what readers (?:say|think)"
    r"|[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){0,3}\s+(?:says|said|wrote|writes|replied|commented):)$",
)
_LIST_ITEM = re.compile(r"^(?:[-–—•*·▪►›]|\d{1,2}[.)])\s+\S")


def _mark_sections(
    candidates: list[tuple[int, str]], words_of: dict[int, list[str]], removed: dict[int, str]
) -> None:
    """Lists of other stories under a reading-list heading, and the comments after their heading.

    Both follow the story: a heading counts only once a real paragraph came before it. A list
    runs while its lines are bullet items or short unpunctuated headlines; comments run to the end.
    """
    seen_paragraph = False
    in_list = False
    in_comments = False
    for i, line in candidates:
        if in_comments:
            removed.setdefault(i, "comments")
            continue
        if i in removed:
            # "Related posts" may already be gone as interface words; its list still follows.
            in_list = in_list or (seen_paragraph and _LIST_HEADING.match(line) is not None)
            continue
        reason = _section_mark(line, len(words_of[i]), seen_paragraph, in_list)
        in_comments = reason == "comments"
        in_list = reason in ("related", "related-heading")
        if reason is not None:
            removed[i] = reason.removesuffix("-heading")
        elif _is_real_paragraph(line):
            seen_paragraph = True


def _section_mark(line: str, n_words: int, seen_paragraph: bool, in_list: bool) -> str | None:
    """Why a kept line goes at this point of the page: a comments heading, a reading-list heading,
    an item of the list it is in; None for a line of the story."""
    short = n_words <= 8 and not _ends_sentence(line)
    if seen_paragraph and (short or n_words <= 14) and _COMMENTS_HEADING.match(line):
        return "comments"
    if seen_paragraph and short and _LIST_HEADING.match(line):
        return "related-heading"
    if in_list:
        item = _LIST_ITEM.match(line) is not None or (n_words <= 15 and not _ends_sentence(line))
        if item and n_words <= 25:
            return "related"
    return None


def _mark_trailing(
    candidates: list[tuple[int, str]], words_of: dict[int, list[str]], removed: dict[int, str]
) -> None:
    """Short lines after the last real paragraph: unpunctuated ones always, any once the footer began.

    The footer begins at the first line after the last paragraph that a rule removed: past a
    byline, a tag list or a comment form, even a short sentence ("Our standards: ...") is the
    page's, while "The ministry declined to comment." right after the last paragraph is the story's.
    """
    last_paragraph = next(
        (i for i, line in reversed(candidates) if i not in removed and _is_real_paragraph(line)), None
    )
    if last_paragraph is None:
        return
    in_footer = False
    for i, line in candidates:
        if i <= last_paragraph:
            continue
        if i in removed:
            in_footer = True
        elif len(words_of[i]) <= _TRAILING_MAX_WORDS and (in_footer or not _ends_sentence(line)):
            removed[i] = "trailing"


def _mark_breadcrumbs(kept: list[tuple[int, str]], first_body: int | None, removed: dict[int, str]) -> None:
    head = [(i, line) for i, line in kept if first_body is None or i < first_body]
    if not head:
        return
    for i, line in head:
        if _is_separator_breadcrumb(line):
            removed[i] = "breadcrumb"
    first_i, first = head[0]
    if first_i in removed or len(head) < 2:
        return
    following = head[1][1]
    if first != following and first.endswith(" " + following):
        if _is_menu_prefix(first[: -len(following)]):
            removed[first_i] = "breadcrumb"


def _assemble(lines: list[str], removed: dict[int, str], trimmed: dict[int, str]) -> CleanResult:
    out: list[str] = []
    blank_pending = False
    for i, line in enumerate(lines):
        if not line:
            blank_pending = bool(out)
            continue
        if i in removed:
            continue
        if blank_pending:
            out.append("")
        out.append(line)
        blank_pending = False
    gone = sorted([(i, lines[i], reason) for i, reason in removed.items()])
    gone += [(i, prefix, "dateline") for i, prefix in trimmed.items()]
    gone.sort(key=lambda item: item[0])
    return CleanResult(
        text="\n".join(out),
        removed=[text for _, text, _ in gone],
        reasons=[reason for _, _, reason in gone],
    )


def analysed_text(title: str | None, text: str) -> str:
    """The text the pipeline reads and evidence offsets point into: the cleaned article, preceded by its
    title and a blank line when the article does not open with the title already.

    Example:
        >>> analysed_text("Chip Curbs Widen", "Loading...\\nThe rules widened on Tuesday.")
        'Chip Curbs Widen\\n\\nThe rules widened on Tuesday.'
    """
    cleaned = clean_text(text).text
    head = (title or "").strip()
    if head and name_key(head) not in name_key(cleaned[: len(head) + 400]):
        return f"{head}\n\n{cleaned}" if cleaned else head
    return cleaned
