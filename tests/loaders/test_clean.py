"""Boilerplate removal: each kind of page noise goes, real paragraphs stay, cleaning is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.clean import CleanResult, clean_text, normalise_whitespace

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"

TITLE = "Dutch Regulator Widens Limits On Lithography Exports"
LEAD = (
    "The Dutch trade ministry on Friday widened its licence requirement for advanced lithography "
    "machines, adding two older tool families that Chinese chipmakers still buy in volume."
)
MIDDLE = (
    "Officials in The Hague said the change brings national rules closer to those of Washington, "
    "which has pressed its allies for more than a year to stop servicing tools already in China."
)
CLOSE = (
    "The equipment maker said it expected the rule to cut its sales in China by a mid-single-digit "
    "share of annual revenue, and that it would apply for licences where it could."
)


def article(noise: str, *, where: str = "middle") -> str:
    """A small article with one noise line in the middle or at the end."""
    if where == "middle":
        parts = [TITLE, LEAD, noise, MIDDLE, CLOSE]
    elif where == "end":
        parts = [TITLE, LEAD, MIDDLE, CLOSE, noise]
    else:
        parts = [noise, TITLE, LEAD, MIDDLE, CLOSE]
    return "\n\n".join(parts)


def assert_body_intact(result: CleanResult) -> None:
    for paragraph in (TITLE, LEAD, MIDDLE, CLOSE):
        assert paragraph in result.text.split("\n"), paragraph


NOISE = [
    # placeholders and page furniture
    ("Loading...", "placeholder"),
    ("Please wait…", "placeholder"),
    ("Advertisement", "placeholder"),
    ("Share on LinkedIn", "placeholder"),
    ("4 min read", "placeholder"),
    ("No comments yet", "placeholder"),
    ("https://example.org/newsletter/signup?ref=article", "link"),
    ("We use cookies to give you the best experience on our website.", "notice"),
    ("Turn off your ad blocker to keep reading.", "notice"),
    # the writer's box and follow buttons
    (
        "Jane Roe is a contributing writer at The Daily Chip, where she has covered memory for a decade.",
        "author-bio",
    ),
    ("Senior Editor", "author-bio"),
    ("Follow The Daily Chip on Google News to get our latest analysis in your feeds.", "follow"),
    ("Add us as a preferred source", "follow"),
    # promotions and subscriptions
    ("Subscribe to our weekly chip brief and get the first month free.", "promo"),
    ("Sign up now for our free webinar on supply chains here.", "promo"),
    ("Our spring summit has opened registrations; register today for early bird discounts.", "promo"),
    ("Become a member and unlock premium research for only 5 euros.", "promo"),
    ("You can claim your free trial here.", "promo"),
    ("Enjoy unlimited articles and our ad-free app for $3 a month.", "promo"),
    # teasers for other stories
    ("Read Next: Ten Startups That Could Reshape Quantum Sensing By The End Of The Decade", "teaser"),
    ("See Also: Why A Small Port City Became A Battery Boomtown", "teaser"),
    ("Related: Cloud providers race to add more capacity in the Gulf", "teaser"),
    ("Also read: How a chip ban changed one factory town", "teaser"),
    ("More: Inside The Race To Build Smaller Satellites", "teaser"),
    ("Don't Miss: The Five Biggest Funding Rounds Of The Quarter", "teaser"),
    ("Trending Now: Celebrity Chef Opens Robot Kitchen", "teaser"),
    # comment forms
    ("Leave a Reply", "comment-form"),
    ("Please enter your comment!", "comment-form"),
    ("Enter your email address", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("You must be logged in to post a comment.", "comment-form"),
    ("Email (kept private)", "comment-form"),
    ("Please fill in your name before you press submit!", "comment-form"),
    # tag lists
    ("Tags: semiconductors, export controls, Netherlands", "tag-list"),
    ("Filed under: Policy, Trade, Chips", "tag-list"),
    ("Posted In: EquitiesTechPolicyAsiaChipsTrade Hardware", "tag-list"),
    ("WorldMarketsTechPolicyAsia Europe", "tag-list"),
    ("#chips #exportcontrols #asml", "tag-list"),
    # image credits
    ("Image via Wikimedia Commons", "credit"),
    ("Photo: Jan de Vries/Harbour Images", "credit"),
    ("Image credit: company handout", "credit"),
    ("Photo by Kim Lee on Unsplash", "credit"),
    ("(Photo by Ana Silva/AFP via Getty Images)", "credit"),
    ("(Wire Photo/Tomas Berg)", "credit"),
    # bylines and notes about the article
    ("By Maarten Jansen and Sofia Rossi", "byline"),
    ("Written by Ruth Okafor", "byline"),
    ("(Reporting by Lena Vogel in Berlin; Editing by Tom Hale)", "byline"),
    ("This article was produced with the help of an AI tool and edited by Priya Nair", "byline"),
    ("This story first appeared on a partner site.", "byline"),
    # footers and market data
    ("© 2024 Harbour Ledger Media. All rights reserved.", "footer"),
    ("Copyright 2023 Example Wire", "footer"),
    ("Stock quotes and company news brought to you by Ledger Data APIs", "footer"),
    ("Market data provided by Example Exchange", "footer"),
    ("ASML 912.40 -1.8% NVDA 121.10 +2.4%", "footer"),
    ("Updated: June 14, 2024 10:42 am EDT", "timestamp"),
    ("March 3, 2025 9:15 AM | 6 min read", "timestamp"),
    (
        "Lena Okafor is a senior analyst at a Brussels research group. The views expressed are her own.",
        "author-note",
    ),
    ("Opinions expressed in this column are those of the author.", "author-note"),
    ("A weekly newsletter from the Marlow Centre for Chip Policy", "masthead"),
    ("The Silicon Brief is written by Jonah Pike, with research by Ada Lin.", "masthead"),
    ("Marlow Centre for Chip Policy · 42 Elm Street, Floor 3 · Boston, MA 02110", "masthead"),
]


def test_a_sentence_about_a_report_written_by_officials_stays() -> None:
    line = "The Commerce report is written by officials who track chip exports to Chinese buyers."
    assert line in clean_text(article(line)).text


def test_an_analyst_introduced_in_the_body_stays() -> None:
    line = "Jane Roe is a senior analyst at Bernstein, and she expects the rule to cut sales by a tenth."
    assert line in clean_text(article(line)).text


def test_the_writers_name_above_a_title_line_goes_with_it() -> None:
    text = article("Jane Roe\nContributing Writer")
    assert "Jane Roe" not in clean_text(text).text


def test_a_paragraph_about_views_stays() -> None:
    line = "The ministry said the views of industry groups are being heard before the rule is final."
    assert line in clean_text(article(line)).text


@pytest.mark.parametrize(("noise", "reason"), NOISE, ids=[n for n, _ in NOISE])
def test_noise_line_in_the_body_is_removed(noise: str, reason: str) -> None:
    result = clean_text(article(noise))
    assert noise not in result.text
    assert result.removed == [noise]
    assert result.reasons == [reason]
    assert_body_intact(result)


@pytest.mark.parametrize(
    "noise",
    [
        "Comments",
        "No posts to display",
        "Join Now: Free!",
        "Market News and Data",
        "Harbour Ledger makes the chip trade simple",
        "More Stories",
    ],
)
def test_trailing_junk_after_the_last_paragraph_is_removed(noise: str) -> None:
    result = clean_text(article(noise, where="end"))
    assert noise not in result.text
    assert_body_intact(result)


def test_trailing_block_of_mixed_junk() -> None:
    tail = "\n".join(
        [
            "Editor's Picks",
            "Harbour Ledger keeps investors informed",
            "Trade smarter with real-time alerts and free research that you can use today.",
            "Join Now: Free!",
            "Loading...",
        ]
    )
    result = clean_text(article(tail, where="end"))
    assert result.text.split("\n")[-1] == CLOSE
    assert len(result.removed) == 5


def test_short_sentences_in_the_footer_go_but_a_closing_sentence_stays() -> None:
    closing = "The ministry declined to comment."
    footer = "\n".join(
        ["(Reporting by Ana Reyes; Editing by Li Wei)", "Our editorial code applies.", "Thanks!"]
    )
    result = clean_text("\n\n".join([TITLE, LEAD, MIDDLE, CLOSE, closing, footer]))
    assert result.text.split("\n\n") == [TITLE, LEAD, MIDDLE, CLOSE, closing]
    assert result.reasons == ["byline", "trailing", "trailing"]


def test_breadcrumb_before_the_title_is_removed() -> None:
    result = clean_text(article(f"Home Tech Policy {TITLE}", where="start"))
    assert result.text.startswith(TITLE + "\n")
    assert result.reasons == ["breadcrumb"]


def test_separator_breadcrumb_is_removed() -> None:
    result = clean_text(article("Home › World › Asia › Semiconductors", where="start"))
    assert result.reasons == ["breadcrumb"]
    assert_body_intact(result)


@pytest.mark.parametrize(
    "dateline",
    ["SEOUL (Wire) - ", "SAN JOSE, Calif., May 2 (Wire Service) — ", "NEW DELHI: ", "THE HAGUE — "],
)
def test_dateline_is_cut_from_the_first_paragraph_only(dateline: str) -> None:
    result = clean_text("\n\n".join([TITLE, dateline + LEAD, dateline + MIDDLE, CLOSE]))
    assert result.text.split("\n\n") == [TITLE, LEAD, dateline.strip() + " " + MIDDLE, CLOSE]
    assert result.removed == [dateline.strip()]
    assert result.reasons == ["dateline"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "NATO — the alliance, not a city — said on Monday that members should screen chip exports.",
        "US — China talks on chips resumed in Geneva on Monday after a pause of several months.",
        "AI: a short word that opens this sentence about export controls and cloud access rules.",
    ],
)
def test_capitalised_openings_that_are_not_datelines_stay(paragraph: str) -> None:
    assert clean_text(f"{TITLE}\n\n{paragraph}").text == f"{TITLE}\n\n{paragraph}"


def test_repeated_line_keeps_its_first_copy() -> None:
    result = clean_text("\n\n".join([TITLE, TITLE, LEAD, MIDDLE, LEAD, CLOSE]))
    assert result.text.split("\n\n") == [TITLE, LEAD, MIDDLE, CLOSE]
    assert result.reasons == ["duplicate", "duplicate"]


@pytest.mark.parametrize(
    "paragraph",
    [
        # news senses of promo words
        "Companies must register their models with the regulator before selling them in the bloc.",
        "Japan will join the United States and the Netherlands in restricting exports of chip tools.",
        "Chinese developers rushed to sign up for free tokens offered by two domestic model makers.",
        "Users who register now get free access to the model for a year, the company said on Tuesday.",
        "Subscribers to the premium tier in China lost access on the same day.",
        # "Label:" prefixes followed by real sentences
        "What Happened: The ministry added four research institutes to its export list on Monday.",
        "Why It Matters: Export licences now take months, and smaller suppliers cannot wait that long.",
        "Update: The company said late on Friday that it had received the licence it applied for.",
        # shapes close to a byline, a credit or a footer that are prose
        "By 2030, the government wants half of the chips used in the country to be designed at home.",
        "By Friday, the two firms had agreed to share a fabrication plant in Kumamoto.",
        "Copyright lawsuits against model developers are piling up in several countries.",
        "Photographs released by the ministry showed the new fab under construction near Dresden.",
        "The report was written by researchers at a university in Singapore and funded by a foundation.",
        "The fund is sponsored by three state banks and will invest in chip start-ups across the region.",
    ],
)
def test_real_paragraphs_are_kept(paragraph: str) -> None:
    result = clean_text(article(paragraph))
    assert paragraph in result.text.split("\n")
    assert result.removed == []


def test_headline_and_subheadings_that_precede_text_are_kept() -> None:
    text = "\n\n".join(
        [
            "Exclusive: Seoul Weighs Curbs On Memory Chip Sales",
            LEAD,
            "Impact On Equipment Makers",
            MIDDLE,
            "What comes next",
            CLOSE,
        ]
    )
    result = clean_text(text)
    assert result.text == text
    assert result.removed == []


def test_unknown_label_teaser_in_the_body_is_removed_but_not_the_title() -> None:
    teaser = "Podcast: The Week In Robots And Rockets"
    text = "\n\n".join(["Exclusive: Seoul Weighs Curbs On Memory Chips", LEAD, teaser, MIDDLE, CLOSE])
    result = clean_text(text)
    assert result.removed == [teaser]
    assert result.text.startswith("Exclusive: Seoul Weighs Curbs On Memory Chips\n")


def test_more_than_label_is_not_a_teaser() -> None:
    line = "More than 40 firms: Huawei, SMIC, YMTC and dozens of smaller suppliers"
    result = clean_text(article(line))
    assert line in result.text


def test_text_without_any_sentence_is_left_alone() -> None:
    text = "Nvidia Beats Estimates\n\nShares Rise After Hours"
    assert clean_text(text).text == text


def test_whitespace_is_normalised_and_typographic_quotes_kept() -> None:
    raw = "  “Quoted”\u00a0words\u200b here\t\tand ‘there’ — dash.\r\n\r\n\r\n\n Next\u202fline.  "
    assert clean_text(raw).text == "“Quoted” words here and ‘there’ — dash.\n\nNext line."
    assert normalise_whitespace("a\r\nb\rc") == "a\nb\nc"


def test_a_removed_line_between_paragraphs_leaves_one_blank_line() -> None:
    result = clean_text(f"{LEAD}\n\nLoading...\n\n{MIDDLE}\nAdvertisement\n{CLOSE}")
    assert result.text == f"{LEAD}\n\n{MIDDLE}\n{CLOSE}"


def test_empty_input() -> None:
    assert clean_text("") == CleanResult(text="", removed=[], reasons=[])
    assert clean_text("\n \n").text == ""


SCRAPED = "\n".join(
    [
        "Home World Asia Seoul Backs Homegrown Model Makers",
        "",
        "Seoul Backs Homegrown Model Makers",
        "",
        "Loading...",
        "By Hana Park",
        "June 3, 2024",
        "",
        "South Korea's science ministry will fund three local labs that train large models, "
        "it said on Monday, in a push to lessen reliance on foreign providers.",
        "",
        "Photo: ministry handout",
        "",
        "Read Next: Ten Gadgets We Loved At The Spring Trade Show",
        "",
        "The labs must register their training runs with a new safety office, and one of them "
        "will join a joint project with a Japanese telecom group.",
        "",
        "Funding And Oversight",
        "",
        "The ministry did not say how the money would be split between the three labs.",
        "",
        "Subscribe to our Asia tech letter and get two months free here.",
        "Tags: Korea, AI, Policy",
        "Comments",
        "Leave a Reply",
        "© 2024 Example Peninsula Media",
        "Join Now: Free!",
    ]
)


def test_scraped_page_cleans_to_its_article() -> None:
    result = clean_text(SCRAPED)
    assert result.text.split("\n\n") == [
        "Seoul Backs Homegrown Model Makers",
        SCRAPED.split("\n")[8],
        SCRAPED.split("\n")[14],
        "Funding And Oversight",
        "The ministry did not say how the money would be split between the three labs.",
    ]


@pytest.mark.parametrize(
    "text",
    [SCRAPED, article("Loading..."), article("Comments", where="end"), "\n\n".join(n for n, _ in NOISE)],
)
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    again = clean_text(once)
    assert again.text == once
    assert again.removed == []


def dev_files() -> list[Path]:
    return sorted(DEV_CORPUS.glob("*.txt")) if DEV_CORPUS.is_dir() else []


@pytest.mark.skipif(not dev_files(), reason=f"shared dev corpus not found at {DEV_CORPUS}")
@pytest.mark.parametrize("path", dev_files(), ids=lambda p: p.name)
def test_dev_articles_lose_their_page_noise_and_keep_their_paragraphs(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    result = clean_text(raw)
    kept = [line for line in result.text.split("\n") if line]

    for line in kept:
        lowered = line.lower()
        assert not lowered.startswith(("see also:", "read next:", "posted in:", "join ", "please enter")), (
            line
        )
        assert "registration" not in lowered and "comment" not in lowered, line
        assert line not in {"Loading...", "Comments", "Post Comment", "No posts to display"}, line
    assert len(kept) == len(set(kept)), "a repeated line survived"
    # Every long paragraph of the original survives whole.
    for line in raw.split("\n"):
        if len(line.split()) >= 25:
            assert normalise_whitespace(line) in kept, line[:60]
    assert clean_text(result.text).text == result.text


@pytest.mark.skipif(not dev_files(), reason=f"shared dev corpus not found at {DEV_CORPUS}")
def test_dev_articles_use_the_expected_rules() -> None:
    reasons = set()
    for path in dev_files():
        reasons |= set(clean_text(path.read_text(encoding="utf-8")).reasons)
    assert {"promo", "teaser", "comment-form", "tag-list", "credit", "byline", "footer"} <= reasons
    assert {"breadcrumb", "duplicate", "placeholder", "trailing"} <= reasons


@pytest.mark.parametrize(
    "line",
    [
        "by Dana Whitfield  ·  March 3, 2025  ·  4 min read",
        "By Tomas Ek | Updated 12 June 2024",
        "By Priya Natarajan and Leo Brandt • 7 min read",
    ],
)
def test_bylines_with_a_date_and_reading_time_go(line: str) -> None:
    text = f"Chip Curbs Widen\n\n{line}\n\nThe ministry published the new licensing rules on Tuesday."
    cleaned = clean_text(text).text
    assert line.split()[1] not in cleaned
    assert "The ministry published the new licensing rules on Tuesday." in cleaned


def test_a_sentence_starting_with_by_and_a_separator_stays() -> None:
    line = "By then | the regulator had already opened a review of every large model sold in the country"
    assert "the regulator had already opened" in clean_text(f"Headline Here\n\n{line}.").text


@pytest.mark.parametrize(
    "line",
    [
        "Posted on March 3, 2025 by Helen Varga · 4 min read",
        "Updated 5 hours ago | by Tomasz Lind",
        "Mar 3, 2025 · by Helen Varga",
    ],
)
def test_bylines_with_the_name_after_other_metadata_go(line: str) -> None:
    result = clean_text(article(line))
    assert line not in result.text
    assert result.reasons == ["byline"]


def test_headline_with_by_and_a_date_stays() -> None:
    title = "Chip Subsidies Cut By Congress On March 3"
    assert title in clean_text(f"{title}\n\n{LEAD}\n\n{MIDDLE}").text


@pytest.mark.parametrize(
    "strip",
    ["0981.HK ▲ 3.2%  ASML ▼ 0.8%  INTC ▲ 0.1%", "Acme ▲ 1.4% Globex ▼ 2.2%", "6857.T 9,120 -1.3% TEL 3.4%"],
)
def test_quote_strips_go(strip: str) -> None:
    result = clean_text(article(strip))
    assert strip not in result.text


def test_reading_list_under_its_heading_goes_with_its_items() -> None:
    reading = "More from The Ledger\n- Why a Dutch toolmaker hires in Arizona\n- Inside Samsung's foundry"
    text = f"{LEAD}\n\n{MIDDLE}\n\n{reading}\n\n{CLOSE}"
    result = clean_text(text)
    assert "Samsung" not in result.text and "More from" not in result.text
    assert CLOSE in result.text
    assert result.reasons.count("related") == 3


def test_a_related_heading_before_any_paragraph_is_not_a_list() -> None:
    text = f"Related coverage\n{TITLE}\n\n{LEAD}\n\n{MIDDLE}"
    assert TITLE in clean_text(text).text


def test_readers_comments_after_their_heading_go() -> None:
    text = (
        f"{LEAD}\n\n{MIDDLE}\n\n2 thoughts on \u201c{TITLE}\u201d\n\nPriya N. says:\n"
        "The toolmaker will just sell more to Korean fabs instead, as it always does.\n"
        "Oskar B. says:\nAbout time somebody in Brussels noticed what was happening here."
    )
    result = clean_text(text)
    assert "Korean" not in result.text and "Brussels" not in result.text
    assert MIDDLE in result.text


def test_a_sentence_about_comments_in_the_body_stays() -> None:
    line = "Comments from the ministry were not available on Friday, a spokesperson said."
    assert line in clean_text(f"{LEAD}\n\n{line}\n\n{MIDDLE}").text


def test_a_credit_glued_to_the_headline_is_cut() -> None:
    text = "Tokyo Tightens Chip Gear Exports To ChinaSource: Stockphotos\n\n" + LEAD
    cleaned = clean_text(text).text
    assert cleaned.startswith("Tokyo Tightens Chip Gear Exports To China\n")
