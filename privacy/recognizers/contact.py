"""Recognisers for ways to reach a person: UK phone numbers, emails, links and handles."""

from __future__ import annotations

import re
from typing import ClassVar

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer


class UkPhoneRecognizer(UKPatternRecognizer):
    """UK phone numbers in the formats people type: 07912 345678, +44 7723 456789, (0161) 496 0742,
    07700.900.229.

    Source: Ofcom National Telephone Numbering Plan (10 digits after the trunk 0; +44 drops it).
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        (
            "uk phone",
            r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s\-().]{8,14}\d(?!\d)",
            0.7,
        ),
    )
    CONTEXT = ("call", "ring", "text", "txt", "phone", "number", "mob", "mobile", "whatsapp")

    def validate_result(self, pattern_text: str) -> bool:
        """Accept when the digits make a UK number (10 digits after the trunk 0)."""
        digits = re.sub(r"\D", "", pattern_text.replace("(0)", ""))
        if digits.startswith("0044"):
            digits = "0" + digits[4:]
        elif digits.startswith("44"):
            digits = "0" + digits[2:]
        if digits.startswith("00"):
            return False
        return len(digits) in (10, 11) and digits.startswith("0")


class EmailRecognizer(UKPatternRecognizer):
    """Email addresses. Our own pattern: Presidio's looks up the public suffix list online.

    Source: RFC 5322 addr-spec, simplified to the characters people type.
    """

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        # A line break after the @ is where a long address wrapped ("jo.doyle@\noutlook.com")
        ("email", r"[a-z0-9._%+'-]+@\n?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", 0.9),
        # "zeb at example dot org", "jo (at) mail [dot] co [dot] uk", "k dot osei at x dot org",
        # "niamh underscore k at yahoo dot co dot uk", "kerryann 91 at hotmail dot com"
        (
            "spelled out",
            r"(?<![\w.])[a-z0-9._%+'-]+(?:\s+(?:dot|underscore|dash|hyphen)\s+[a-z0-9._%+'-]+)*"
            r"(?:\s+\d{1,4})?\s*[\[(]?\s*(?:at|@)\s*[\])]?\s*[a-z0-9-]+"
            r"(?:\s*[\[(]?\s*(?:dot|\.)\s*[\])]?\s*[a-z0-9-]+)*\s*[\[(]?\s*dot\s*[\])]?\s*"
            r"(?:com|org|net|uk|co|io|me|edu|gov|info)(?![\w])",
            0.8,
        ),
        # "R.Hughes-Pryce [at] btinternet . com": an at in brackets or a spaced @, a spaced dot
        (
            "bracketed at",
            r"(?<![\w.])[a-z0-9._%+'-]+\s*(?:\[at\]|\(at\)|\s@|@\s)\s*[a-z0-9-]+"
            r"(?:\s*(?:\.|dot|\[dot\]|\(dot\))\s*[a-z0-9-]+)*?\s*(?:\.|dot|\[dot\]|\(dot\))\s*"
            r"(?:com|org|net|uk|co|io|me|edu|gov|info)(?![\w])",
            0.8,
        ),
        # "chantelle.m.1990 @ gmail", "jo.b@hotmail": a mail service named, no ending
        (
            "mail service, no ending",
            r"(?<![\w.])[a-z0-9._%+'-]+\s*@\s*(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|"
            r"live|aol|btinternet|protonmail|proton|msn|ymail|sky)"
            r"(?:\s*\.\s*(?:com|co|uk|org|net))*(?![\w@])",
            0.8,
        ),
    )


class SpokenEmailRecognizer(SpanPatternRecognizer):
    """An email address said aloud after "email is", its first part in several words: "my email
    is abdi warsame two thousand at gmail dot com", "rhys underscore p at proton mail dot com"."""

    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        (
            "email said aloud",
            r"\be-?mail(?:\s+address)?(?:\s+is|\s*:)\s+(?P<v>(?:[a-z0-9._%+'-]+\s+){1,6}?"
            r"(?:at|@)\s+[a-z0-9-]+(?:\s+[a-z0-9-]+)?(?:\s*(?:dot|\.)\s*[a-z0-9-]+)*?"
            r"\s*(?:dot|\.)\s*(?:com|org|net|uk|co|io|me|edu|gov|info))(?![\w])",
            0.8,
        ),  # "my gmail is dannyboy.2007": the address without its ending, shaped like no word
        (
            "mail service is",
            r"\b(?:gmail|hotmail|outlook|yahoo|icloud|e-?mail)(?:\s+address)?(?:\s+is|\s*:)\s+"
            r"(?P<v>(?=[a-z0-9._%+'-]*[a-z])(?=[a-z0-9._%+'-]*[\d._])[a-z0-9][a-z0-9._%+'-]*"
            r"[a-z0-9])(?![\w@])",
            0.7,
        ),
    )


# Public services' own sites, named to point people to help: kept when written bare (no path).
SERVICE_SITES = (
    "gov.uk",
    "nhs.uk",
    "childline.org.uk",
    "nspcc.org.uk",
    "samaritans.org",
    "giveusashout.org",
    "become1.org.uk",
    "coramvoice.org.uk",
    "citizensadvice.org.uk",
    "shelter.org.uk",
    "mind.org.uk",
    "youngminds.org.uk",
    "barnardos.org.uk",
    "kooth.com",
)


class LinkRecognizer(UKPatternRecognizer):
    """Web links (a page, a profile, a fundraiser), but not a service's bare address.

    Source: RFC 3986 for links.
    """

    ENTITY = "URL"
    PATTERNS = (
        # A link never ends on the punctuation after it ("youtube.com/@x, my bday")
        ("http link", r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)]", 0.8),
        (
            "bare domain",
            r"(?<![@\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|co\.uk|org\.uk|org|net|io|me|uk|ly|gg)"
            r"(?:/(?:[^\s<>\"]*[^\s<>\".,;:!?)])?)?(?![\w@])",
            0.6,
        ),
        # Any ending when a path follows: "linktr.ee/careleaverlou", "ko-fi.me/x", "bio.site/y"
        (
            "domain with a path",
            r"(?<![@\w./])[a-z0-9-]*[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/[\w@.\-~%/?=&]*\w",
            0.6,
        ),
        # Said aloud: "twitch dot tv slash lostboyjay", "youtube dot com slash at maddie"
        (
            "spoken link",
            r"(?<![\w.])[a-z0-9-]+(?:\s+dot\s+[a-z]{2,6}){1,3}\s+(?:forward\s+)?slash\s+"
            r"(?:at\s+)?[\w.\-]+(?:\s+(?:underscore|dot|dash)\s+[\w\-]+)*",
            0.6,
        ),
    )

    def validate_result(self, pattern_text: str) -> bool:
        """A bare service address ("gov.uk", "childline.org.uk") points to help, not a person."""
        bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", pattern_text.lower()).rstrip("/.")
        return not any(bare == site or bare.endswith("." + site) for site in SERVICE_SITES)


_APPS = (
    r"snap|snapchat|sc|insta|instagram|ig|tiktok|twitter|facebook|fb|discord|kik|twitch|ttv|"
    r"youtube|yt|threads|bluesky|bsky|telegram|whatsapp|psn|xbox|gamertag|steam|roblox|reddit|"
    r"pinterest|tumblr|onlyfans|bereal|yubo|wizz|gt|ps|ps4|ps5|playstation|epic|fortnite|"
    r"minecraft|xbl"
)
# A word shaped like a handle: letters with digits, dots or underscores inside ("deano.x",
# "ttv_kamil", "kayy.b08"), never a plain word, a number or a web address.
_HANDLE = (
    r"@?(?=[a-z0-9_.]*[a-z])(?=[a-z0-9_.]*(?:[0-9]|[_.][a-z0-9]))[a-z0-9][a-z0-9_.]{1,29}[a-z0-9_]"
)


class AtHandleRecognizer(UKPatternRecognizer):
    """@name on any platform. Source: the handle rules of Instagram, TikTok, Snapchat and X."""

    ENTITY = "HANDLE"
    PATTERNS = (("at handle", r"(?<![\w@.])@[a-z0-9_.]{2,30}(?![\w@])", 0.8),)


class NamedHandleRecognizer(SpanPatternRecognizer):
    """A handle near the app's name: "my snap is jaz_22", "sc is deano.x", "twitch ttv_kamil",
    "snap me if u want more kayy.b08", "add me lol jaydenw_07", "discord is ghostkid#4471",
    "on twitch as NoHomeNoProblem_", "danirae.x on insta", "my handle is kidfromthehome"; and
    any underscore handle."""

    ENTITY = "HANDLE"
    PATTERNS = (
        (
            "app lead-in",
            r"\b(?:" + _APPS + r")\b(?:\s+(?:name|handle|username|user|id|tag|account))?"
            r"(?:\s*:\s*|\s+is\s+|\s*@)@?(?P<v>[a-z0-9_.]{3,30}[a-z0-9_](?:#\d{4})?)(?![\w@#])",
            0.7,
        ),
        # "on twitch as NoHomeNoProblem_", "im on roblox as jaybird_9": shaped like a handle
        (
            "app then as",
            r"\b(?:" + _APPS + r")\s+as\s+@?(?P<v>(?=\w*(?:[_.\d]|[a-z][A-Z]))[a-z0-9_.]{3,30}"
            r"[a-z0-9_](?:#\d{4})?)(?![\w@#])",
            0.7,
        ),
        # "twitch ChaosQueenLuna", "on insta mumwithoutmybabies_": right after the app, a word
        # only a handle looks like (digits, dots or underscores inside, or capitals inside)
        (
            "app then handle",
            r"\b(?:" + _APPS + r")\s+@?(?P<v>(?=[\w.]*(?:[_\d]|\.\w|(?-i:[a-z][A-Z])))"
            r"[a-z0-9_.]{3,30}[a-z0-9_](?:#\d{4})?)(?![\w@#])",
            0.65,
        ),
        # "danirae.x on insta", "jaz_22 on snap"
        (
            "handle then app",
            r"(?<![\w@.])(?P<v>" + _HANDLE + r")\s+(?:on|for|in)\s+(?:" + _APPS + r")\b",
            0.65,
        ),
        # "my handle on everything is kidfromthehome", "username: ghostkid#4471"
        (
            "handle word",
            r"\b(?:handle|username|user name|gamertag|gamer tag|display name)\b[^.!?\n]{0,30}?"
            r"(?:\s+is|:)\s+@?(?P<v>[a-z0-9_.]{3,30}[a-z0-9_](?:#\d{4})?)(?![\w@#])",
            0.65,
        ),
        (
            "handle-shaped word near an app",
            r"\b(?:" + _APPS + r"|add me|follow me|dm me|message me|messages me|msg me|hmu|"
            r"hit me up|find me)\b[^.!?\n]{0,40}?"
            r"(?<![\w@.])(?P<v>" + _HANDLE + r"(?:#\d{4})?)(?![\w@#])",
            0.65,
        ),
        # "tayy.b0 thats me": shaped like a handle, and the writer says it is them
        (
            "handle then thats me",
            r"(?<![\w@])(?P<v>" + _HANDLE + r")\s+(?:thats|that's|is|=)\s+me\b",
            0.6,
        ),
        # "follow .rhys.jpeg": a handle may start with a dot after "follow"
        (
            "follow a dotted handle",
            r"\bfollow\s+(?:me\s+)?(?:on\s+)?(?P<v>\.(?=[a-z0-9_.]*[a-z])[a-z0-9_.]{2,29}[a-z0-9_])"
            r"(?![\w@])",
            0.6,
        ),
        # "im lisa.b.mum0f3 on there": shaped like a handle, and "on there" says where
        (
            "handle then on there",
            r"(?<![\w@.])(?P<v>" + _HANDLE + r")\s+on\s+(?:there|it|that|here)\b",
            0.6,
        ),
        # "xx_lil.mimi_xx": dots may come between the underscores
        (
            "underscore handle",
            r"(?<![\w@.])(?P<v>[a-z0-9][a-z0-9.]*_[a-z0-9_.]*[a-z0-9_])(?![\w@])",
            0.6,
        ),
        # "posting videos as lil.miss.kay": two dots or more between words, shaped like nothing
        # else (not "e.g." or "a.m.", whose pieces are single letters)
        (
            "dotted handle",
            r"(?<![\w@./])(?P<v>(?=[a-z0-9.]*[a-z]{3})[a-z0-9]{2,}(?:\.[a-z0-9]{2,}){2,})(?![\w@/]|\.\w)",
            0.6,
        ),
        # "snap me its jaybo dot 22": a handle said aloud near the app's name
        (
            "handle said aloud",
            r"\b(?:" + _APPS + r")\b[^.!?\n]{0,30}?(?<![\w@.])"
            r"(?P<v>[a-z0-9_]{2,}(?:\s+(?:dot|underscore)\s+[a-z0-9_]+)+)(?![\w@])",
            0.6,
        ),
        # Discord's name#1234, shaped like nothing else
        ("discord tag", r"(?<![\w@#.])(?P<v>[a-z0-9_.]{2,32}#\d{4})(?![\w#])", 0.65),
    )

    GATES: ClassVar[dict[str, str]] = dict.fromkeys(
        (
            "app lead-in",
            "app then as",
            "app then handle",
            "handle then app",
            "handle-shaped word near an app",
            "handle said aloud",
        ),
        r"\b(?:" + _APPS + r"|add me|follow me|dm me|message me|messages me|msg me|hmu|"
        r"hit me up|find me)\b",
    ) | {
        "handle word": r"\b(?:handle|username|user name|gamertag|gamer tag|display name)\b",
        "follow a dotted handle": r"\bfollow\b",
        "underscore handle": r"_",
        "discord tag": r"#\d",
        "dotted handle": r"\w\.\w+\.\w",
    }

    def validate_value(self, value: str) -> bool:
        """Not an everyday word ("sc is good"), a domain, a date or a plain number."""
        low = value.lower().lstrip("@")
        if re.fullmatch(r"[\d._]+", low) or re.search(r"\.(?:com|uk|org|net)$", low):
            return False
        if re.fullmatch(r"[a-z]+", low):
            from privacy.recognizers.wordlists import STOP, vicary_stop_words

            plain = low in _PLAIN_WORDS or low in STOP or low in vicary_stop_words()
            return len(low) >= 3 and not plain
        return True


# Words that follow an app's name in ordinary sentences ("snap is better", "insta made me sad").
_PLAIN_WORDS = frozenset(
    """
    about after again all also always and any anyone anything are because been before being
    better but cant could didnt does doesnt dont down even every from gets going good great have
    having here into just keep know like made make more most much never nothing only other over
    really said same says should some someone something still stories story stuff such than that
    their them then there these they thing things this those through till time told took tried
    under until very wants wasnt were what when where which while will with without would your
    yours account accounts group groups chat chats live lives message messages posts post photos
    pics videos video page pages name names username handle everyday everything anytime please
    """.split()  # noqa: SIM905
)


class HandleAfterAppRecognizer(SpanPatternRecognizer):
    """A plain word in no dictionary right after the app's name: "insta jakewilxo", "snap me
    kaylz"; not "insta everyday" or "snap chat"."""

    ENTITY = "HANDLE"
    PATTERNS = (
        (
            "app then a rare word",
            r"(?:(?:\b(?:on|my|or)\s+|^\s*)(?:"
            + _APPS
            + r")(?:\s+(?:me|is|=|-|:))?|\b(?:"
            + _APPS
            + r")"
            r"\s+(?:me|is|=|-|:))\s+@?(?P<v>[a-z][a-z0-9]{4,29})(?![\w@.])",
            0.6,
        ),  # "find me on ghostlyfinn": where an app would be named, a word in no dictionary
        (
            "find me on a rare word",
            r"\b(?:find|add|follow|message|dm)\s+me\s+on\s+@?(?P<v>[a-z][a-z0-9]{4,29})(?![\w@.])",
            0.6,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """No English word, made from one, or a name alone ("insta jakewilxo", not "snap chat")."""
        from privacy.recognizers.wordlists import english_words, made_from_english

        low = value.lower()
        return low not in english_words() and not made_from_english(low) and low not in _PLAIN_WORDS
